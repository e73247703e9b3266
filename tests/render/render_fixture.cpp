// RenderWorld: one context and renderer per test program, validation on, torn down at exit.
#include "render_fixture.h"

#include <filesystem>

namespace pav::test {
namespace {
RenderWorld* gWorld = nullptr;

// Tears the world down after all tests, before static destructors run.
class WorldEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { destroyRenderWorld(); }
};
[[maybe_unused]] const auto* const gEnv = ::testing::AddGlobalTestEnvironment(new WorldEnvironment);
}  // namespace

RenderWorld& renderWorld() {
  if (!gWorld) {
    gWorld = new RenderWorld;
    render::ContextDesc desc;
    desc.validation = render::Toggle::On;
    desc.syncValidation = std::getenv("PAV_NO_SYNC_VALIDATION") == nullptr;
    gWorld->context = std::make_unique<render::Context>(desc);
    gWorld->renderer = std::make_unique<render::Renderer>(
        *gWorld->context, render::RendererDesc{0, PAV_TEST_SHADER_DIR});
  }
  return *gWorld;
}

void destroyRenderWorld() {
  if (!gWorld) return;
  gWorld->renderer.reset();
  const uint32_t messages = gWorld->context->validationMessages();
  gWorld->context.reset();
  delete gWorld;
  gWorld = nullptr;
  EXPECT_EQ(messages, 0u) << "validation messages over the whole run";
}

std::string artifactDir() {
  const std::string dir = PAV_TEST_ARTIFACT_DIR;
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace pav::test
