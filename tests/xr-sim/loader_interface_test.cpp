// xr-sim's side of the loader interface, checked directly on the library (dlopen), as the
// loader sees it: the negotiation structures, and an xrGetInstanceProcAddr that answers every
// function of OpenXR 1.0 and of the advertised extensions. The list of functions comes from
// the installed openxr.h / openxr_platform.h, so a function the runtime forgot fails here
// rather than crashing the 1.0.20 loader, which calls its dispatch table unchecked.
// The last test goes through the real loader for the extension list.
#include <dlfcn.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "xr_sim_fixture.h"

namespace pav::test {
namespace {

// The negotiation structures as the 1.0.20 loader declares them (loader_interfaces.h).
enum LoaderStruct : uint32_t { kLoaderInfo = 1, kRuntimeRequest = 3 };
struct NegotiateLoaderInfo {
  LoaderStruct structType;
  uint32_t structVersion;
  size_t structSize;
  uint32_t minInterfaceVersion, maxInterfaceVersion;
  XrVersion minApiVersion, maxApiVersion;
};
struct NegotiateRuntimeRequest {
  LoaderStruct structType;
  uint32_t structVersion;
  size_t structSize;
  uint32_t runtimeInterfaceVersion;
  XrVersion runtimeApiVersion;
  PFN_xrGetInstanceProcAddr getInstanceProcAddr;
};
using NegotiateFn = XrResult (*)(const NegotiateLoaderInfo*, NegotiateRuntimeRequest*);

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every PFN_xr* typedef between two markers of a header.
std::set<std::string> functionsBetween(const std::string& text, const std::string& from, const std::string& to) {
  const size_t a = text.find(from);
  const size_t b = text.find(to, a);
  EXPECT_NE(a, std::string::npos) << from;
  EXPECT_NE(b, std::string::npos) << to;
  std::set<std::string> names;
  const std::string section = text.substr(a, b - a);
  const std::regex pfn("PFN_(xr[A-Za-z0-9]+)\\)");
  for (auto it = std::sregex_iterator(section.begin(), section.end(), pfn); it != std::sregex_iterator(); ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

class LoaderInterface : public ::testing::Test {
 protected:
  void SetUp() override {
    lib_ = dlopen(PAV_XR_SIM_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(lib_, nullptr) << dlerror();
    negotiate_ = reinterpret_cast<NegotiateFn>(dlsym(lib_, "xrNegotiateLoaderRuntimeInterface"));
    ASSERT_NE(negotiate_, nullptr);
  }
  void TearDown() override {
    if (lib_) dlclose(lib_);
  }
  NegotiateLoaderInfo loaderInfo() const {
    return {kLoaderInfo, 1, sizeof(NegotiateLoaderInfo), 1, 1, XR_MAKE_VERSION(1, 0, 0), XR_MAKE_VERSION(1, 0x3ff, 0xfff)};
  }
  NegotiateRuntimeRequest request() const { return {kRuntimeRequest, 1, sizeof(NegotiateRuntimeRequest), 0, 0, nullptr}; }
  void* lib_ = nullptr;
  NegotiateFn negotiate_ = nullptr;
};

TEST_F(LoaderInterface, NegotiationAnswersInterfaceOneAndOpenXr10) {
  const NegotiateLoaderInfo info = loaderInfo();
  NegotiateRuntimeRequest req = request();
  ASSERT_EQ(negotiate_(&info, &req), XR_SUCCESS);
  EXPECT_EQ(req.runtimeInterfaceVersion, 1u);
  EXPECT_EQ(XR_VERSION_MAJOR(req.runtimeApiVersion), 1u);
  EXPECT_EQ(XR_VERSION_MINOR(req.runtimeApiVersion), 0u);
  EXPECT_NE(req.getInstanceProcAddr, nullptr);
  // Malformed or incompatible requests are refused, not guessed at.
  NegotiateLoaderInfo bad = info;
  bad.structSize = 8;
  EXPECT_NE(negotiate_(&bad, &req), XR_SUCCESS);
  bad = info;
  bad.minInterfaceVersion = bad.maxInterfaceVersion = 2;
  EXPECT_NE(negotiate_(&bad, &req), XR_SUCCESS);
  NegotiateRuntimeRequest badReq = request();
  badReq.structType = kLoaderInfo;
  EXPECT_NE(negotiate_(&info, &badReq), XR_SUCCESS);
}

TEST_F(LoaderInterface, EveryCoreAndExtensionFunctionIsAnswered) {
  const std::string core = readFile(std::string(PAV_OPENXR_INCLUDE_DIR) + "/openxr/openxr.h");
  const std::string platform = readFile(std::string(PAV_OPENXR_INCLUDE_DIR) + "/openxr/openxr_platform.h");
  std::set<std::string> wanted = functionsBetween(core, "#define XR_VERSION_1_0 1", "#define XR_KHR_composition_layer_cube 1");
  wanted.erase("xrVoidFunction");
  ASSERT_EQ(wanted.size(), 55u) << "OpenXR 1.0 has 55 functions besides the PFN_xrVoidFunction type";
  for (const char* ext : {"XR_KHR_vulkan_enable", "XR_KHR_vulkan_enable2"}) {
    const std::string from = std::string("#define ") + ext + " 1";
    for (const auto& f : functionsBetween(platform, from, "#ifndef XR_NO_PROTOTYPES")) wanted.insert(f);
  }
  ASSERT_EQ(wanted.size(), 63u);

  const NegotiateLoaderInfo info = loaderInfo();
  NegotiateRuntimeRequest req = request();
  ASSERT_EQ(negotiate_(&info, &req), XR_SUCCESS);
  const PFN_xrGetInstanceProcAddr gipa = req.getInstanceProcAddr;
  PFN_xrVoidFunction fn = nullptr;
  EXPECT_EQ(gipa(XR_NULL_HANDLE, "xrGetSystem", &fn), XR_ERROR_HANDLE_INVALID);
  ASSERT_EQ(gipa(XR_NULL_HANDLE, "xrCreateInstance", &fn), XR_SUCCESS);
  const auto create = reinterpret_cast<PFN_xrCreateInstance>(fn);
  ASSERT_EQ(gipa(XR_NULL_HANDLE, "xrEnumerateInstanceExtensionProperties", &fn), XR_SUCCESS);
  ASSERT_EQ(gipa(XR_NULL_HANDLE, "xrEnumerateApiLayerProperties", &fn), XR_SUCCESS);

  setRuntimeEnv({});
  const char* exts[] = {XR_KHR_VULKAN_ENABLE_EXTENSION_NAME, XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME};
  XrInstanceCreateInfo ci{XR_TYPE_INSTANCE_CREATE_INFO};
  std::strcpy(ci.applicationInfo.applicationName, "pav_xr_sim_tests");
  ci.applicationInfo.apiVersion = XR_CURRENT_API_VERSION;
  ci.enabledExtensionCount = 2;
  ci.enabledExtensionNames = exts;
  XrInstance inst = XR_NULL_HANDLE;
  ASSERT_EQ(create(&ci, &inst), XR_SUCCESS);
  for (const std::string& name : wanted) {
    fn = nullptr;
    EXPECT_EQ(gipa(inst, name.c_str(), &fn), XR_SUCCESS) << name;
    EXPECT_NE(fn, nullptr) << name;
  }
  fn = reinterpret_cast<PFN_xrVoidFunction>(&dlopen);
  EXPECT_EQ(gipa(inst, "xrCreateHandTrackerEXT", &fn), XR_ERROR_FUNCTION_UNSUPPORTED);  // not offered
  EXPECT_EQ(fn, nullptr);

  // An instance without the Vulkan extensions does not get their functions.
  XrInstance plain = XR_NULL_HANDLE;
  ci.enabledExtensionCount = 0;
  ASSERT_EQ(create(&ci, &plain), XR_SUCCESS);
  EXPECT_EQ(gipa(plain, "xrCreateVulkanInstanceKHR", &fn), XR_ERROR_FUNCTION_UNSUPPORTED);
  EXPECT_EQ(gipa(plain, "xrGetVulkanGraphicsDeviceKHR", &fn), XR_ERROR_FUNCTION_UNSUPPORTED);
  const char* unknown[] = {"XR_EXT_hand_tracking"};
  ci.enabledExtensionCount = 1;
  ci.enabledExtensionNames = unknown;
  XrInstance never = XR_NULL_HANDLE;
  EXPECT_EQ(create(&ci, &never), XR_ERROR_EXTENSION_NOT_PRESENT);
  ASSERT_EQ(gipa(inst, "xrDestroyInstance", &fn), XR_SUCCESS);
  const auto destroy = reinterpret_cast<PFN_xrDestroyInstance>(fn);
  EXPECT_EQ(destroy(plain), XR_SUCCESS);
  EXPECT_EQ(destroy(inst), XR_SUCCESS);
  EXPECT_EQ(gipa(inst, "xrGetSystem", &fn), XR_ERROR_HANDLE_INVALID);  // a destroyed handle stays invalid
}

TEST(LoaderInterfaceThroughLoader, TheLoaderListsTheRuntimesExtensions) {
  setRuntimeEnv({});
  uint32_t n = 0;
  ASSERT_EQ(xrEnumerateInstanceExtensionProperties(nullptr, 0, &n, nullptr), XR_SUCCESS);
  std::vector<XrExtensionProperties> props(n, {XR_TYPE_EXTENSION_PROPERTIES});
  ASSERT_EQ(xrEnumerateInstanceExtensionProperties(nullptr, n, &n, props.data()), XR_SUCCESS);
  std::set<std::string> names;
  for (const auto& p : props) names.insert(p.extensionName);
  EXPECT_TRUE(names.count("XR_KHR_vulkan_enable2"));
  EXPECT_TRUE(names.count("XR_KHR_vulkan_enable"));
  EXPECT_TRUE(names.count("XR_KHR_composition_layer_depth"));
}

}  // namespace
}  // namespace pav::test
