// Shared set-up for render tests: one Vulkan context for the whole test program with the
// Khronos validation layer (and its synchronization checks) on, one renderer, and a fixture
// that fails any test during which the layer reported a message.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "pav/render/render.h"

namespace pav::test {

// Created on first use, destroyed at exit in reverse order (renderer, then context).
struct RenderWorld {
  std::unique_ptr<render::Context> context;
  std::unique_ptr<render::Renderer> renderer;
};

RenderWorld& renderWorld();
void destroyRenderWorld();

class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RenderWorld& w = renderWorld();
    ASSERT_TRUE(w.context->validationEnabled())
        << "render tests need the Khronos validation layer (vulkan-validationlayers)";
    before_ = w.context->validationMessages();
  }
  void TearDown() override {
    RenderWorld& w = renderWorld();
    w.renderer->waitIdle();
    EXPECT_EQ(w.context->validationMessages(), before_)
        << "the validation layer reported problems during this test (see the log above)";
  }
  render::Context& context() { return *renderWorld().context; }
  render::Renderer& renderer() { return *renderWorld().renderer; }

 private:
  uint32_t before_ = 0;
};

// Where a test writes pictures for a person to look at when it fails.
std::string artifactDir();

}  // namespace pav::test
