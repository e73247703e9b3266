// The context, cameras and meshes: device choice and info, validation counting (proved by
// provoking a real validation error), deferred mesh deletion, projection maths and the
// procedural shapes' invariants.
#include <cmath>
#include <string_view>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>

#include "pav/core/log.h"
#include "render_fixture.h"

namespace pav::test {
namespace {

class ContextTest : public RenderTest {};

TEST_F(ContextTest, DescribesTheDeviceItChose) {
  const render::DeviceInfo& info = context().deviceInfo();
  EXPECT_FALSE(info.name.empty());
  EXPECT_GE(info.apiVersion, VK_API_VERSION_1_1);
  EXPECT_NE(info.describe().find(info.name), std::string::npos);
  EXPECT_NE(context().queue(), VK_NULL_HANDLE);
}

TEST(Validation, AnInvalidCallIsCountedAndStopsNothing) {
  // A separate context so the shared one stays clean. Creating a zero-sized buffer breaks a
  // "must" of the spec (VUID-VkBufferCreateInfo-size-00912); the layer has to see it.
  render::ContextDesc desc;
  desc.validation = render::Toggle::On;
  render::Context ctx(desc);
  ASSERT_TRUE(ctx.validationEnabled());
  EXPECT_EQ(ctx.validationMessages(), 0u);
  pav::log::setLevel(pav::log::Level::Off);  // the expected error would look alarming in the output
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = 0;
  info.usage = VK_BUFFER_USAGE_VERTEX_BUFFER_BIT;
  VkBuffer buffer = VK_NULL_HANDLE;
  const VkResult r = vkCreateBuffer(ctx.device(), &info, nullptr, &buffer);
  pav::log::setLevel(pav::log::Level::Info);
  if (r == VK_SUCCESS && buffer) vkDestroyBuffer(ctx.device(), buffer, nullptr);
  EXPECT_GE(ctx.validationMessages(), 1u);
}

// What an OpenXR runtime does through XR_KHR_vulkan_enable2: it is handed the complete create
// infos, adds what it needs, and names the physical device. Here the "runtime" adds an
// instance extension and picks the last device; the context must use exactly those.
TEST(Context, AnExternalCreatorMakesTheInstanceAndDevice) {
  int instances = 0, devices = 0;
  bool sawLayer = false, sawMultiview = false;
  VkPhysicalDevice named = VK_NULL_HANDLE;
  render::ContextDesc desc;
  desc.validation = render::Toggle::On;
  desc.creator.createInstance = [&](const VkInstanceCreateInfo& info, VkInstance& out) {
    ++instances;
    for (uint32_t i = 0; i < info.enabledLayerCount; ++i)
      sawLayer |= std::string_view(info.ppEnabledLayerNames[i]) == "VK_LAYER_KHRONOS_validation";
    std::vector<const char*> extensions(info.ppEnabledExtensionNames, info.ppEnabledExtensionNames + info.enabledExtensionCount);
    extensions.push_back(VK_KHR_EXTERNAL_MEMORY_CAPABILITIES_EXTENSION_NAME);
    VkInstanceCreateInfo mine = info;
    mine.enabledExtensionCount = uint32_t(extensions.size());
    mine.ppEnabledExtensionNames = extensions.data();
    return vkCreateInstance(&mine, nullptr, &out);
  };
  desc.creator.physicalDevice = [&](VkInstance instance) {
    uint32_t n = 0;
    vkEnumeratePhysicalDevices(instance, &n, nullptr);
    std::vector<VkPhysicalDevice> all(n);
    vkEnumeratePhysicalDevices(instance, &n, all.data());
    named = n ? all.back() : VK_NULL_HANDLE;
    return named;
  };
  desc.creator.createDevice = [&](VkPhysicalDevice pd, const VkDeviceCreateInfo& info, VkDevice& out) {
    ++devices;
    for (auto* p = static_cast<const VkBaseInStructure*>(info.pNext); p; p = p->pNext)
      if (p->sType == VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2)
        for (auto* q = p->pNext; q; q = q->pNext)
          if (q->sType == VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES)
            sawMultiview |= reinterpret_cast<const VkPhysicalDeviceMultiviewFeatures*>(q)->multiview == VK_TRUE;
    return vkCreateDevice(pd, &info, nullptr, &out);
  };
  render::Context ctx(desc);
  EXPECT_EQ(instances, 1);
  EXPECT_EQ(devices, 1);
  EXPECT_EQ(ctx.physicalDevice(), named);
  EXPECT_TRUE(sawLayer) << "the creator is handed the layers";
  EXPECT_TRUE(sawMultiview) << "and the features the renderer needs";
  EXPECT_FALSE(ctx.deviceInfo().name.empty());
  EXPECT_EQ(ctx.validationMessages(), 0u);
}

TEST(Validation, CanBeTurnedOff) {
  render::ContextDesc desc;
  desc.validation = render::Toggle::Off;
  render::Context ctx(desc);
  EXPECT_FALSE(ctx.validationEnabled());
}

TEST_F(ContextTest, UnloadedMeshesAreFreedOnlyAfterTheirFrames) {
  render::OffscreenTarget target(context(), {64, 64, 1});
  const render::MeshId box = renderer().loadMesh(render::makeBox({1, 1, 1}));
  render::Scene scene;
  scene.draws.push_back({box, glm::translate(glm::mat4(1), {0, 0, -3}), {1, 0, 0, 1}});
  const render::View view{};
  ASSERT_TRUE(renderer().drawFrame(target, scene, {&view, 1}));
  renderer().unloadMesh(box);  // the frame above may still be reading it
  EXPECT_EQ(renderer().meshIndexCount(box), 0u);
  // A stale handle in a scene is skipped, not drawn and not a crash.
  ASSERT_TRUE(renderer().drawFrame(target, scene, {&view, 1}));
  EXPECT_EQ(renderer().stats().lastDrawCount, 0u);
  // A new mesh may reuse the slot; the old handle must still be stale.
  const render::MeshId sphere = renderer().loadMesh(render::makeSphere(0.5f));
  EXPECT_EQ(renderer().meshIndexCount(box), 0u);
  EXPECT_GT(renderer().meshIndexCount(sphere), 0u);
  renderer().unloadMesh(sphere);
}

TEST_F(ContextTest, BadDrawCallsAreRefusedWithAMessage) {
  render::OffscreenTarget target(context(), {64, 64, 2});
  render::Scene scene;
  const render::View one{};
  EXPECT_THROW(renderer().drawFrame(target, scene, {&one, 1}), pav::Error);  // stereo needs 2
  render::MeshData bad = render::makeBox({1, 1, 1});
  bad.indices.push_back(9999);
  bad.indices.push_back(0);
  bad.indices.push_back(1);
  EXPECT_THROW(renderer().loadMesh(bad), pav::Error);
  EXPECT_THROW(renderer().loadMesh(render::MeshData{}), pav::Error);
}

TEST(Camera, ProjectionMapsTheFrustumToVulkanClipSpace) {
  const render::Fov fov{-0.7f, 0.4f, 0.5f, -0.6f};
  const float n = 0.1f, f = 50.0f;
  const glm::mat4 p = render::projectionFromFov(fov, n, f);
  auto ndc = [&](glm::vec3 v) {
    const glm::vec4 c = p * glm::vec4(v, 1.0f);
    return glm::vec3(c) / c.w;
  };
  // Top-left of the near plane: x = -1, y = -1 (Vulkan Y points down), depth 0.
  const glm::vec3 tl = ndc({n * std::tan(-0.7f), n * std::tan(0.5f), -n});
  EXPECT_NEAR(tl.x, -1.0f, 1e-5f);
  EXPECT_NEAR(tl.y, -1.0f, 1e-5f);
  EXPECT_NEAR(tl.z, 0.0f, 1e-5f);
  // Bottom-right of the far plane: x = 1, y = 1, depth 1.
  const glm::vec3 br = ndc({f * std::tan(0.4f), f * std::tan(-0.6f), -f});
  EXPECT_NEAR(br.x, 1.0f, 1e-4f);
  EXPECT_NEAR(br.y, 1.0f, 1e-4f);
  EXPECT_NEAR(br.z, 1.0f, 1e-4f);
}

TEST(Camera, StereoEyesSitOnTheHeadsXAxis) {
  const render::Pose head{{1, 1.6f, 2}, glm::angleAxis(glm::radians(90.0f), glm::vec3(0, 1, 0))};
  const render::Fov fov = render::Fov::symmetric(1.5f, 1.0f);
  const auto eyes = render::stereoViews(head, 0.064f, fov, fov);
  EXPECT_NEAR(glm::distance(eyes[0].pose.position, eyes[1].pose.position), 0.064f, 1e-6f);
  // Turned 90 degrees left, the head's +X is world -Z: the right eye is towards -Z.
  EXPECT_NEAR(eyes[1].pose.position.z - eyes[0].pose.position.z, -0.064f, 1e-6f);
  // Each eye's view matrix takes its own position to the origin.
  for (const auto& e : eyes) {
    const glm::vec4 o = e.viewMatrix() * glm::vec4(e.pose.position, 1.0f);
    EXPECT_NEAR(glm::length(glm::vec3(o)), 0.0f, 1e-5f);
  }
}

TEST(Camera, LookAtFacesTheTarget) {
  const render::Pose p = render::Pose::lookAt({0, 2, 5}, {0, 2, 0});
  const glm::vec3 forward = p.orientation * glm::vec3(0, 0, -1);
  EXPECT_NEAR(forward.z, -1.0f, 1e-5f);
}

TEST(Mesh, ShapesAreWellFormed) {
  for (const render::MeshData& m :
       {render::makeBox({1, 2, 3}), render::makeSphere(0.5f), render::makeCylinder(0.3f, 1.0f),
        render::makePlane(4.0f, 3)}) {
    ASSERT_FALSE(m.vertices.empty());
    EXPECT_EQ(m.indices.size() % 3, 0u);
    for (uint32_t i : m.indices) ASSERT_LT(i, m.vertices.size());
    for (const auto& v : m.vertices) EXPECT_NEAR(glm::length(v.normal), 1.0f, 1e-4f);
    // Counter-clockwise winding: each face's geometric normal agrees with its vertex normals.
    for (size_t t = 0; t < m.indices.size(); t += 3) {
      const auto& a = m.vertices[m.indices[t]];
      const auto& b = m.vertices[m.indices[t + 1]];
      const auto& c = m.vertices[m.indices[t + 2]];
      const glm::vec3 n = glm::cross(b.position - a.position, c.position - a.position);
      if (glm::length(n) < 1e-9f) continue;
      EXPECT_GT(glm::dot(n, a.normal + b.normal + c.normal), 0.0f) << "triangle " << t / 3;
    }
  }
  EXPECT_EQ(render::makeBox({1, 1, 1}).indices.size(), 36u);
  EXPECT_EQ(render::makePlane(1.0f, 4).indices.size(), 6u * 16u);
}

TEST(Mesh, RibbonsFaceTheirNormalsWhicheverWayThePairsRun) {
  for (float side : {1.0f, -1.0f}) {  // pairs left-to-right, then right-to-left
    std::vector<render::Vertex> edges;
    for (int i = 0; i < 4; ++i) {
      edges.push_back({{float(i), 0, -side}, {0, 1, 0}, render::kWhite});
      edges.push_back({{float(i), 0, side}, {0, 1, 0}, render::kWhite});
    }
    const render::MeshData m = render::makeRibbon(edges);
    ASSERT_EQ(m.indices.size(), 18u);
    for (size_t t = 0; t < m.indices.size(); t += 3) {
      const glm::vec3 a = m.vertices[m.indices[t]].position, b = m.vertices[m.indices[t + 1]].position,
                      c = m.vertices[m.indices[t + 2]].position;
      EXPECT_GT(glm::cross(b - a, c - a).y, 0.0f) << "side " << side << " triangle " << t / 3;
    }
  }
}

TEST(Mesh, AppendRebasesIndices) {
  render::MeshData a = render::makeBox({1, 1, 1});
  const size_t n = a.vertices.size();
  a.append(render::makeBox({2, 2, 2}));
  EXPECT_EQ(a.vertices.size(), 2 * n);
  EXPECT_EQ(a.indices.back(), a.indices[35] + n);
}

TEST(Mesh, PackColorRoundsAndClamps) {
  EXPECT_EQ(render::packColor({1, 0, 0, 1}), 0xff0000ffu);
  EXPECT_EQ(render::packColor({2, -1, 0.5f, 1}), 0xff8000ffu);
}

}  // namespace
}  // namespace pav::test
