// Shader hot reload (shader_watch.h) with the real glslc and the real Vulkan device, the
// validation layer on: a copy of shaders/ in a temporary folder is edited while a renderer
// draws from it. An edit that makes every surface magenta shows in the next picture; an edit
// glslc refuses keeps the magenta shaders and hands back glslc's own message (file and line);
// putting the original back gives the original picture again. Also: a stage handed the other
// stage's SPIR-V is refused and changes nothing, and a folder without the sources is a clear
// error.
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "../support/picture_regions.h"
#include "demo_scene.h"
#include "pav/core/error.h"
#include "render_fixture.h"

namespace pav::test {
namespace {
namespace fs = std::filesystem;

constexpr uint32_t kW = 160, kH = 90;

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void writeFile(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

// The fraction of pixels that are pure magenta (the edited shader's colour).
double magentaFraction(const render::Picture& p) { return findPixels(p, NearColour{255, 0, 255, 15}).fraction(); }

class ShaderReloadTest : public RenderTest {
 protected:
  void SetUp() override {
    RenderTest::SetUp();
    dir_ = fs::path(artifactDir()) / ("shader-reload-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const char* name : {"lit.vert", "lit.frag", "frame.glsl", "sky.glsl", "pbr.glsl", "material.glsl", "shadow.glsl"})
      fs::copy_file(fs::path(PAV_SHADER_SOURCE_DIR) / name, dir_ / name);
    renderer_ = std::make_unique<render::Renderer>(context(), render::RendererDesc{0, PAV_TEST_SHADER_DIR});
    meshes_ = demo::loadDemoMeshes(*renderer_);
    target_ = std::make_unique<render::OffscreenTarget>(context(), render::OffscreenDesc{kW, kH, 1});
    demo::buildDemoScene(meshes_, 0.5f, scene_);
  }
  void TearDown() override {
    renderer_->waitIdle();
    target_.reset();
    renderer_.reset();
    RenderTest::TearDown();
  }
  render::Picture shot() {
    const render::View view = demo::demoMonoView(float(kW) / float(kH));
    auto pictures = renderer_->capture(*target_, scene_, {&view, 1});
    EXPECT_EQ(pictures.size(), 1u);
    return pictures.empty() ? render::Picture{} : pictures[0];
  }
  // Draws frames (as a window would) calling apply() between them until it reports something.
  render::ShaderWatcher::Result waitForChange(render::ShaderWatcher& watcher) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const render::View view = demo::demoMonoView(float(kW) / float(kH));
    while (std::chrono::steady_clock::now() < deadline) {
      const auto result = watcher.apply(*renderer_);
      if (result != render::ShaderWatcher::Result::Unchanged) return result;
      renderer_->drawFrame(*target_, scene_, {&view, 1});
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return render::ShaderWatcher::Result::Unchanged;
  }

  fs::path dir_;
  std::unique_ptr<render::Renderer> renderer_;
  demo::DemoMeshes meshes_;
  std::unique_ptr<render::OffscreenTarget> target_;
  render::Scene scene_;
};

TEST_F(ShaderReloadTest, AnEditShowsAndAGlslcErrorKeepsTheOldShaders) {
  using Result = render::ShaderWatcher::Result;
  const render::Picture original = shot();
  ASSERT_LT(magentaFraction(original), 0.001);
  render::ShaderWatcher watcher({.sourceDir = dir_.string(), .quietSeconds = 0.05});
  EXPECT_EQ(watcher.apply(*renderer_), Result::Unchanged) << "nothing compiles before a file changes";

  // 1. Every surface magenta (still reading every input, or the layer warns of unread outputs).
  const std::string source = readFile(dir_ / "lit.frag");
  const std::string last = "  outColor = vec4(toneMapNeutral(applyFog(lit, inWorldPosition, eye)), alpha);";
  ASSERT_NE(source.find(last), std::string::npos) << "lit.frag changed: update this test's edit";
  std::string magenta = source;
  magenta.replace(magenta.find(last), last.size(), "  outColor = vec4(1.0, min(applyFog(lit, inWorldPosition, eye).g, 0.0), 1.0, max(alpha, 1.0));");
  writeFile(dir_ / "lit.frag", magenta);
  ASSERT_EQ(waitForChange(watcher), Result::Reloaded) << watcher.message();
  EXPECT_EQ(renderer_->shaderGeneration(), 1u);
  const render::Picture edited = shot();
  EXPECT_GT(magentaFraction(edited), 0.2) << "the edited shader does not show";
  render::writePng((dir_ / "edited.png").string(), edited);

  // 2. A syntax error: glslc's message with the file and line, the magenta shaders stay.
  std::string broken = magenta;
  broken.replace(broken.find("void main() {"), 13, "void main() {\n  this is not glsl;");
  writeFile(dir_ / "lit.frag", broken);
  ASSERT_EQ(waitForChange(watcher), Result::Failed);
  EXPECT_NE(watcher.message().find("lit.frag:"), std::string::npos) << watcher.message();
  EXPECT_NE(watcher.message().find("error"), std::string::npos) << watcher.message();
  EXPECT_EQ(renderer_->shaderGeneration(), 1u);
  const render::Picture kept = shot();
  EXPECT_EQ(render::comparePictures(kept, edited, 0).mismatched, 0u) << "a failed compile changed the picture";

  // 3. An error in an included file counts too; then the original comes back exactly.
  const std::string frame = readFile(dir_ / "frame.glsl");
  writeFile(dir_ / "frame.glsl", frame + "\nnot glsl either\n");
  ASSERT_EQ(waitForChange(watcher), Result::Failed);
  EXPECT_NE(watcher.message().find("frame.glsl:"), std::string::npos) << watcher.message();
  writeFile(dir_ / "frame.glsl", frame);
  writeFile(dir_ / "lit.frag", source);
  ASSERT_EQ(waitForChange(watcher), Result::Reloaded) << watcher.message();
  const render::PictureDiff back = render::comparePictures(shot(), original, 0);
  EXPECT_EQ(back.mismatched, 0u) << "the original shaders do not give the original picture";
  EXPECT_EQ(watcher.reloads(), 2u);
  EXPECT_EQ(watcher.failures(), 2u);
}

TEST_F(ShaderReloadTest, TheWrongStageIsRefusedAndChangesNothing) {
  const render::Picture before = shot();
  const auto words = [](const std::string& path) {
    const std::string bytes = readFile(path);
    std::vector<uint32_t> w(bytes.size() / 4);
    std::memcpy(w.data(), bytes.data(), w.size() * 4);
    return w;
  };
  const auto vert = words(std::string(PAV_TEST_SHADER_DIR) + "/lit.vert.spv");
  const auto frag = words(std::string(PAV_TEST_SHADER_DIR) + "/lit.frag.spv");
  try {
    renderer_->replaceShaders(frag, vert);
    FAIL() << "swapped stages were accepted";
  } catch (const pav::Error& e) {
    EXPECT_NE(std::string(e.what()).find("no vertex entry point named main"), std::string::npos) << e.what();
  }
  const std::vector<uint32_t> garbage(40, 0x12345678);
  EXPECT_THROW(renderer_->replaceShaders(vert, garbage), pav::Error);
  EXPECT_EQ(renderer_->shaderGeneration(), 0u);
  EXPECT_EQ(render::comparePictures(shot(), before, 0).mismatched, 0u);
  // The same modules again are a reload like any other, and draw the same picture.
  renderer_->replaceShaders(vert, frag);
  EXPECT_EQ(renderer_->shaderGeneration(), 1u);
  EXPECT_EQ(render::comparePictures(shot(), before, 0).mismatched, 0u);
}

TEST_F(ShaderReloadTest, AFolderWithoutTheSourcesIsAClearError) {
  fs::remove(dir_ / "lit.frag");
  try {
    render::ShaderWatcher watcher({.sourceDir = dir_.string()});
    FAIL() << "a folder without lit.frag was accepted";
  } catch (const pav::Error& e) {
    EXPECT_NE(std::string(e.what()).find("has no lit.frag"), std::string::npos) << e.what();
  }
  EXPECT_THROW(render::ShaderWatcher({.sourceDir = (dir_ / "nowhere").string()}), pav::Error);
  EXPECT_THROW(render::ShaderWatcher({.sourceDir = PAV_SHADER_SOURCE_DIR, .glslc = "/nonexistent/glslc"}), pav::Error);
}

}  // namespace
}  // namespace pav::test
