// Tests of the real `pavilion` program, run as a child process: bad input of every kind (command
// line, shaders, Vulkan loader and driver, output folder) must end with a message a person can
// act on and a non-zero exit code, never with a crash, a hang or a sanitizer report; and the
// demo, given good input, must write the three pictures it names, at the sizes asked for.
//
// Exit codes (tools/pavilion/main.cpp): 0 ok, 1 start-up error ("pavilion: error: ..."),
// 2 bad command line (CLI11's message), 3 validation-layer messages.
//
// PAV_BIN is the program, PAV_SHADER_BUILD_DIR the build tree's compiled shaders (CMake). Each
// test gets a private temporary folder (removed afterwards), which is also the child's working
// directory and holds its XDG_RUNTIME_DIR (mode 0700). The child's environment is this
// process's, less the PAV_* variables that would change what is tested, plus the test's own.
#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "child_process.h"
#include "pav/render/picture.h"

#ifndef PAV_BIN
#error "PAV_BIN (path of the pavilion program) must be defined by the build"
#endif
#ifndef PAV_SHADER_BUILD_DIR
#error "PAV_SHADER_BUILD_DIR (the build tree's compiled shaders) must be defined by the build"
#endif

namespace fs = std::filesystem;
using pav::clitest::ChildResult;
using pav::clitest::Environment;

namespace {

using Bytes = std::vector<uint8_t>;
using EnvVars = std::vector<std::pair<std::string, std::string>>;

constexpr uint32_t kSpirvMagic = 0x07230203;

// ---- assertions on how the child ended ----------------------------------------------------------

enum class Stream { Out, Err, Any };

// Not started, hung, killed by a signal, or a sanitizer spoke: each is a failure whatever the
// exit code; otherwise the exit code must be `code`.
::testing::AssertionResult endedCleanlyWith(const ChildResult& r, int code) {
  if (!r.started || r.timedOut || r.signaled)
    return ::testing::AssertionFailure()
           << "the program did not end cleanly (" << r.describeEnd() << ")\n" << r.transcript();
  for (const char* marker : {"AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                             "ThreadSanitizer", "runtime error", "terminate called"}) {
    if (r.output().find(marker) != std::string::npos)
      return ::testing::AssertionFailure()
             << "the output contains a crash or sanitizer report ('" << marker << "')\n"
             << r.transcript();
  }
  if (!r.exited || r.exitCode != code)
    return ::testing::AssertionFailure()
           << "expected exit code " << code << ", got " << r.describeEnd() << "\n"
           << r.transcript();
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult mentions(const ChildResult& r, std::string_view text,
                                    Stream where = Stream::Any) {
  const std::string& haystack = where == Stream::Out ? r.out : where == Stream::Err ? r.err
                                                                                     : r.output();
  if (haystack.find(text) != std::string::npos) return ::testing::AssertionSuccess();
  const char* name = where == Stream::Out ? "stdout" : where == Stream::Err ? "stderr"
                                                                            : "the output";
  return ::testing::AssertionFailure() << name << " does not mention \"" << text << "\"\n"
                                       << r.transcript();
}

// A start-up error: exit 1, no crash, main's "pavilion: error:" line on stderr, and each of
// `needles` somewhere on stderr. All problems are reported together, with one transcript.
void expectStartupError(const ChildResult& r, std::initializer_list<std::string_view> needles) {
  std::string problems;
  if (const auto clean = endedCleanlyWith(r, 1); !clean) {
    const std::string m = clean.message();
    problems += "  - " + m.substr(0, m.find('\n')) + "\n";
  }
  if (r.err.find("pavilion: error:") == std::string::npos)
    problems += "  - stderr lacks main's \"pavilion: error:\" line\n";
  for (std::string_view n : needles) {
    if (r.err.find(n) == std::string::npos)
      problems += "  - stderr does not mention \"" + std::string(n) + "\"\n";
  }
  if (!problems.empty())
    ADD_FAILURE() << "expected a clean start-up error (exit 1, a message naming the problem):\n"
                  << problems << r.transcript();
}

#define EXPECT_STARTUP_ERROR(result, ...)    \
  do {                                       \
    SCOPED_TRACE("start-up error expected"); \
    expectStartupError(result, {__VA_ARGS__}); \
  } while (0)

// ---- files --------------------------------------------------------------------------------------

Bytes readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeFile(const fs::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

// Deterministic "random" bytes: a failure must reproduce.
Bytes noise(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes b(size);
  for (auto& v : b) v = static_cast<uint8_t>(rng() & 0xff);
  return b;
}

uint32_t wordAt(const Bytes& b, size_t index) {
  uint32_t w = 0;
  std::memcpy(&w, b.data() + index * 4, 4);
  return w;
}

void setWord(Bytes& b, size_t index, uint32_t value) {
  std::memcpy(b.data() + index * 4, &value, 4);
}

// The shaders the build compiled; a test that needs them fails (not skips) when they are missing.
Bytes builtShader(const char* name) {
  const fs::path path = fs::path(PAV_SHADER_BUILD_DIR) / name;
  Bytes b = readFile(path);
  EXPECT_GE(b.size(), 20u) << "cannot read the built shader " << path << " (build pav_shaders)";
  if (b.size() >= 20) {
    EXPECT_EQ(wordAt(b, 0), kSpirvMagic) << path << " is not SPIR-V";
  }
  return b;
}

// The file a shared library that this process has loaded was loaded from: a real library that
// is certainly not a Vulkan loader.
std::string libcPath() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&gnu_get_libc_version), &info) && info.dli_fname &&
      info.dli_fname[0] == '/' && fs::exists(info.dli_fname))
    return info.dli_fname;
  for (const char* p : {"/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6",
                        "/lib64/libc.so.6", "/usr/lib64/libc.so.6",
                        "/lib/aarch64-linux-gnu/libc.so.6"}) {
    if (fs::exists(p)) return p;
  }
  return {};
}

// ---- the fixture --------------------------------------------------------------------------------

class PavilionCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(PAV_BIN)) << "the pavilion program is not built: " << PAV_BIN;
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string pattern = (base / "pav-cli-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << "mkdtemp failed in " << base;
    tmp_ = pattern;
    runtimeDir_ = tmp_ / "xdg-runtime";
    ASSERT_TRUE(fs::create_directory(runtimeDir_));
    fs::permissions(runtimeDir_, fs::perms::owner_all, fs::perm_options::replace);
  }

  void TearDown() override {
    std::error_code ec;
    if (!tmp_.empty()) fs::remove_all(tmp_, ec);
  }

  // This process's environment, without what would change the program's behaviour behind the
  // test's back, with a private XDG_RUNTIME_DIR. PAV_VULKAN_LOADER and the VK_* variables are
  // kept: a machine may need them to find its Vulkan loader and driver.
  Environment baseEnv() const {
    Environment e = Environment::inherited();
    for (const char* v : {"PAV_SHADER_DIR", "PAV_DEVICE", "PAV_VALIDATION", "PAV_LOG"}) e.unset(v);
    e.set("XDG_RUNTIME_DIR", runtimeDir_.string());
    return e;
  }

  ChildResult run(const std::vector<std::string>& args, const EnvVars& vars = {},
                  const std::vector<std::string>& unset = {}) const {
    Environment env = baseEnv();
    std::string prefix;
    for (const auto& name : unset) {
      env.unset(name);
      prefix += "-u " + name + " ";
    }
    for (const auto& [name, value] : vars) {
      env.set(name, value);
      prefix += name + "=" + value + " ";
    }
    ChildResult r = pav::clitest::runChild(PAV_BIN, args, env, tmp_.string());
    if (!prefix.empty()) r.command = "env " + prefix + r.command;
    return r;
  }

  // A folder with the given lit.vert.spv / lit.frag.spv (a null pointer leaves that file out).
  fs::path shaderDir(const std::string& name, const Bytes* vert, const Bytes* frag) const {
    const fs::path dir = tmp_ / name;
    fs::create_directories(dir);
    if (vert) writeFile(dir / "lit.vert.spv", *vert);
    if (frag) writeFile(dir / "lit.frag.spv", *frag);
    return dir;
  }

  // `pavilion demo` with small pictures into tmp/out, plus `extra` arguments.
  ChildResult demo(const std::vector<std::string>& extra, const EnvVars& vars = {},
                   const std::vector<std::string>& unset = {}) const {
    std::vector<std::string> args = {"demo", "--out", (tmp_ / "out").string(), "--width", "64",
                                     "--height", "48", "--eye-size", "32", "--pavilion-seconds", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args, vars, unset);
  }

  ChildResult demoWithShaders(const fs::path& dir) const {
    return demo({"--shader-dir", dir.string()});
  }

  fs::path tmp_;
  fs::path runtimeDir_;
};

// ---- the command line: exit 2 (or 0 for help), CLI11's message ---------------------------------

struct CommandLineCase {
  const char* name;
  std::vector<std::string> args;
  int exitCode;
  std::vector<std::string> mustMention;  // on stderr for errors, on stdout for exit 0
};

void PrintTo(const CommandLineCase& c, std::ostream* os) { *os << c.name; }

class PavilionCommandLine : public PavilionCli,
                            public ::testing::WithParamInterface<CommandLineCase> {};

TEST_P(PavilionCommandLine, EndsWithTheRightCodeAndSaysWhatIsWrong) {
  const CommandLineCase& c = GetParam();
  const ChildResult r = run(c.args);
  EXPECT_TRUE(endedCleanlyWith(r, c.exitCode));
  const Stream where = c.exitCode == 0 ? Stream::Out : Stream::Err;
  for (const auto& text : c.mustMention) EXPECT_TRUE(mentions(r, text, where));
  if (c.exitCode != 0) {
    // CLI11 points at the help; a usage error is not a start-up error and draws nothing.
    EXPECT_TRUE(mentions(r, "--help", Stream::Err));
    EXPECT_FALSE(mentions(r, "pavilion: error:"));
    EXPECT_FALSE(fs::exists(tmp_ / "build")) << "a usage error wrote into the working directory";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PavilionCommandLine,
    ::testing::Values(
        // The argument that is wrong must be named, or the user cannot tell what to fix.
        CommandLineCase{"UnknownSubcommand", {"bogus"}, 2, {"bogus"}},
        CommandLineCase{"NoSubcommand", {}, 2, {"subcommand"}},
        CommandLineCase{"UnknownFlagOnDemo", {"demo", "--frobnicate"}, 2, {"--frobnicate"}},
        CommandLineCase{"UnknownTopLevelFlag", {"--frobnicate", "demo"}, 2, {"--frobnicate"}},
        CommandLineCase{"StrayArgumentOnDemo", {"demo", "bogus"}, 2, {"bogus"}},
        CommandLineCase{"WidthZero", {"demo", "--width", "0"}, 2, {"--width", "0"}},
        CommandLineCase{"WidthNotANumber", {"demo", "--width", "abc"}, 2, {"--width", "abc"}},
        CommandLineCase{"WidthNegative", {"demo", "--width", "-5"}, 2, {"--width"}},
        CommandLineCase{"WidthWithoutValue", {"demo", "--width"}, 2, {"--width"}},
        CommandLineCase{"HeightTooLarge", {"demo", "--height", "8193"}, 2, {"--height", "8193"}},
        CommandLineCase{"EyeSizeTooLarge", {"demo", "--eye-size", "99999"}, 2,
                        {"--eye-size", "99999"}},
        CommandLineCase{"SecondsNegative", {"demo", "--seconds", "-1"}, 2, {"--seconds"}},
        CommandLineCase{"LogNonsense", {"--log", "nonsense", "demo"}, 2, {"nonsense"}},
        CommandLineCase{"LogNonsenseWithoutSubcommand", {"--log", "nonsense"}, 2, {"nonsense"}},
        CommandLineCase{"LogAfterSubcommand", {"demo", "--log", "nonsense"}, 2, {"--log"}},
        CommandLineCase{"Help", {"--help"}, 0, {"demo", "--log", "Usage"}},
        CommandLineCase{"DemoHelp", {"demo", "--help"}, 0,
                        {"--out", "--width", "--eye-size", "--shader-dir", "--validation"}},
        CommandLineCase{"Version", {"--version"}, 0, {"pavilion"}}),
    [](const ::testing::TestParamInfo<CommandLineCase>& info) { return info.param.name; });

TEST_F(PavilionCli, BadPavLogIsReportedAndIgnored) {
  const ChildResult r = run({"--help"}, {{"PAV_LOG", "nonsense"}});
  EXPECT_TRUE(endedCleanlyWith(r, 0));
  EXPECT_TRUE(mentions(r, "PAV_LOG", Stream::Err));
  EXPECT_TRUE(mentions(r, "demo", Stream::Out));
}

// ---- shaders: exit 1, "cannot open shader" / "is not SPIR-V", the file named --------------------

TEST_F(PavilionCli, EmptyShaderDirSaysCannotOpenShader) {
  const fs::path dir = shaderDir("empty", nullptr, nullptr);
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, "cannot open shader", (dir / "lit.vert.spv").string(), "PAV_SHADER_DIR");
  EXPECT_FALSE(fs::exists(tmp_ / "out" / "mono.png"));
}

TEST_F(PavilionCli, EmptyPavShaderDirSaysCannotOpenShader) {
  const fs::path dir = shaderDir("empty-env", nullptr, nullptr);
  const ChildResult r = demo({}, {{"PAV_SHADER_DIR", dir.string()}});
  EXPECT_STARTUP_ERROR(r, "cannot open shader", (dir / "lit.vert.spv").string());
}

TEST_F(PavilionCli, MissingFragmentShaderIsNamed) {
  const Bytes vert = builtShader("lit.vert.spv");
  const fs::path dir = shaderDir("no-frag", &vert, nullptr);
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, "cannot open shader", (dir / "lit.frag.spv").string());
}

TEST_F(PavilionCli, RandomBytesAreNotSpirv) {
  Bytes junk = noise(4096, 1);
  setWord(junk, 0, 0x9a32e4cbu);  // whatever the seed, never the magic number
  const fs::path dir = shaderDir("random", &junk, &junk);
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, "is not SPIR-V", (dir / "lit.vert.spv").string());
}

TEST_F(PavilionCli, RightLengthWrongMagicIsNotSpirv) {
  const Bytes real = builtShader("lit.vert.spv");
  Bytes junk = noise(real.size(), 2);
  setWord(junk, 0, 0xdeadbeefu);
  const fs::path dir = shaderDir("wrong-magic", &junk, &junk);
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, "is not SPIR-V", "magic", (dir / "lit.vert.spv").string());
}

TEST_F(PavilionCli, ThreeByteFileIsNotSpirv) {
  const Bytes tiny = {0x03, 0x02, 0x23};
  const fs::path dir = shaderDir("three-bytes", &tiny, &tiny);
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, "is not SPIR-V", (dir / "lit.vert.spv").string());
}

TEST_F(PavilionCli, EmptyFileIsNotSpirv) {
  const Bytes nothing;
  const fs::path dir = shaderDir("zero-bytes", &nothing, &nothing);
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, "is not SPIR-V", (dir / "lit.vert.spv").string());
}

TEST_F(PavilionCli, RealShaderWithFirstWordChangedIsNotSpirv) {
  Bytes vert = builtShader("lit.vert.spv");
  const Bytes frag = builtShader("lit.frag.spv");
  ASSERT_GE(vert.size(), 20u);
  setWord(vert, 0, kSpirvMagic ^ 0x00010000u);
  const fs::path dir = shaderDir("bad-first-word", &vert, &frag);
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, "is not SPIR-V", "magic", (dir / "lit.vert.spv").string());
}

TEST_F(PavilionCli, RealShaderWithUnknownVersionIsRejected) {
  Bytes vert = builtShader("lit.vert.spv");
  const Bytes frag = builtShader("lit.frag.spv");
  ASSERT_GE(vert.size(), 20u);
  setWord(vert, 1, 0x00090000u);  // "SPIR-V 9.0"
  const fs::path dir = shaderDir("bad-version", &vert, &frag);
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, "SPIR-V version", (dir / "lit.vert.spv").string());
}

TEST_F(PavilionCli, RealShaderWithZeroIdBoundIsRejected) {
  Bytes vert = builtShader("lit.vert.spv");
  const Bytes frag = builtShader("lit.frag.spv");
  ASSERT_GE(vert.size(), 20u);
  setWord(vert, 3, 0);
  const fs::path dir = shaderDir("zero-bound", &vert, &frag);
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, (dir / "lit.vert.spv").string());
  // Either the header check ("is corrupt") or a full validator ("not valid SPIR-V") may say it.
  EXPECT_TRUE(r.err.find("corrupt") != std::string::npos ||
              r.err.find("not valid SPIR-V") != std::string::npos)
      << r.transcript();
}

TEST_F(PavilionCli, CorruptFragmentShaderIsNamed) {
  const Bytes vert = builtShader("lit.vert.spv");
  Bytes junk = noise(1024, 3);
  setWord(junk, 0, 0x12345678u);
  const fs::path dir = shaderDir("bad-frag", &vert, &junk);
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, "is not SPIR-V", (dir / "lit.frag.spv").string());
}

// A directory where the shader file should be: the message should say so, not quote a size.
TEST_F(PavilionCli, ShaderPathThatIsADirectoryIsReported) {
  const fs::path dir = shaderDir("dir-as-shader", nullptr, nullptr);
  fs::create_directory(dir / "lit.vert.spv");
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, (dir / "lit.vert.spv").string(), "director");
}

// The header checks pass; the body is noise. The driver may reject it, but the program must
// end cleanly and say which shader is bad.
TEST_F(PavilionCli, ValidHeaderWithGarbageBodyIsNamedNotCrashed) {
  Bytes vert = builtShader("lit.vert.spv");
  const Bytes frag = builtShader("lit.frag.spv");
  ASSERT_GE(vert.size(), 20u);
  const Bytes junk = noise(vert.size() - 20, 4);
  std::copy(junk.begin(), junk.end(), vert.begin() + 20);
  const fs::path dir = shaderDir("garbage-body", &vert, &frag);
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, "lit.vert.spv");
}

// A real module cut short at a word boundary (a half-written file): header checks pass.
TEST_F(PavilionCli, TruncatedRealShaderDoesNotCrash) {
  const Bytes full = builtShader("lit.vert.spv");
  const Bytes frag = builtShader("lit.frag.spv");
  ASSERT_GE(full.size(), 400u);
  const Bytes cut(full.begin(), full.begin() + 200);
  const fs::path dir = shaderDir("truncated", &cut, &frag);
  const ChildResult r = demoWithShaders(dir);
  EXPECT_STARTUP_ERROR(r, "lit.vert.spv");
}

// ---- Vulkan loader and driver: exit 1, what is missing and which Debian package fixes it -------

TEST_F(PavilionCli, NoVulkanDriverNamesMesaVulkanDrivers) {
  const ChildResult r = demo({}, {{"VK_ICD_FILENAMES", "/nonexistent/icd.json"},
                                  {"VK_DRIVER_FILES", "/nonexistent/icd.json"}},
                             {"VK_ADD_DRIVER_FILES"});
  EXPECT_TRUE(endedCleanlyWith(r, 1));
  EXPECT_TRUE(mentions(r, "pavilion: error:", Stream::Err));
  const bool saysWhat = r.err.find("no Vulkan driver") != std::string::npos ||
                        r.err.find("no Vulkan device") != std::string::npos;
  EXPECT_TRUE(saysWhat) << "stderr says neither \"no Vulkan driver\" nor \"no Vulkan device\"\n"
                        << r.transcript();
  EXPECT_TRUE(mentions(r, "mesa-vulkan-drivers", Stream::Err));
}

TEST_F(PavilionCli, NoVulkanLoaderIsNamed) {
  const std::string loader = "/nonexistent/libvulkan.so.1";
  const ChildResult r = demo({}, {{"PAV_VULKAN_LOADER", loader}});
  EXPECT_STARTUP_ERROR(r, "no Vulkan loader", loader, "libvulkan1");
}

TEST_F(PavilionCli, LibraryThatIsNotALoaderIsNamed) {
  const std::string lib = libcPath();
  ASSERT_FALSE(lib.empty()) << "cannot find the C library's file";
  const ChildResult r = demo({}, {{"PAV_VULKAN_LOADER", lib}});
  EXPECT_STARTUP_ERROR(r, "is not a Vulkan loader", lib);
}

TEST_F(PavilionCli, TextFileAsLoaderIsNamed) {
  const fs::path fake = tmp_ / "libvulkan.so.1";
  writeFile(fake, Bytes{'n', 'o', 't', ' ', 'a', 'n', ' ', 'E', 'L', 'F', '\n'});
  const ChildResult r = demo({}, {{"PAV_VULKAN_LOADER", fake.string()}});
  EXPECT_STARTUP_ERROR(r, "no Vulkan loader", fake.string());
}

// ---- the output folder: exit 1, the path named ----------------------------------------------

TEST_F(PavilionCli, OutFolderUnderARegularFileIsNamed) {
  const fs::path file = tmp_ / "a-file";
  writeFile(file, Bytes{'x'});
  const fs::path out = file / "pictures";
  const ChildResult r =
      run({"demo", "--out", out.string(), "--width", "64", "--height", "48", "--eye-size", "32", "--pavilion-seconds", "0"});
  EXPECT_STARTUP_ERROR(r, out.string());
  EXPECT_EQ(readFile(file), Bytes{'x'}) << "the regular file in the way was changed";
}

TEST_F(PavilionCli, OutFolderThatIsARegularFileIsNamed) {
  const fs::path file = tmp_ / "out-is-a-file";
  writeFile(file, Bytes{'x'});
  const ChildResult r =
      run({"demo", "--out", file.string(), "--width", "64", "--height", "48", "--eye-size", "32", "--pavilion-seconds", "0"});
  EXPECT_STARTUP_ERROR(r, file.string());
  EXPECT_EQ(readFile(file), Bytes{'x'}) << "the regular file in the way was changed";
}

// ---- a window without a display: exit 1, not a crash or a hang -----------------------------

TEST_F(PavilionCli, WindowWithoutADisplayFailsCleanly) {
  const ChildResult r = demo({"--window", "--seconds", "1"}, {},
                             {"DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"});
  EXPECT_STARTUP_ERROR(r, "window");
}

// ---- the happy path -----------------------------------------------------------------------------

TEST_F(PavilionCli, DemoWritesThreePicturesOfTheRequestedSizes) {
  const fs::path out = tmp_ / "pictures";
  std::vector<std::string> args = {"demo",     "--out", out.string(),  "--width",    "160",
                                   "--height", "90",    "--eye-size",  "96",         "--validation",
                                   "--pavilion-seconds", "10"};
  // Ten seconds: each station loads its session (Vulkan with validation) on the session's clock;
  // under a sanitizer beside other tests that took 3 s, and a 4 s match ended before a station
  // had played or seen the results.
  // The program's default shader folder is <exe>/../shaders, which the build fills; name the
  // build's folder explicitly only where a build layout puts the program elsewhere.
  const fs::path defaultShaders = fs::path(PAV_BIN).parent_path().parent_path() / "shaders";
  if (!fs::exists(defaultShaders / "lit.vert.spv")) {
    args.push_back("--shader-dir");
    args.push_back(PAV_SHADER_BUILD_DIR);
  }
  const ChildResult r = run(args);
  ASSERT_TRUE(endedCleanlyWith(r, 0));
  EXPECT_TRUE(mentions(r, "drew the demo scene on", Stream::Out));
  EXPECT_FALSE(mentions(r, "error", Stream::Err));

  struct Expected {
    const char* file;
    uint32_t width, height;
  };
  for (const Expected& e : {Expected{"mono.png", 160, 90}, Expected{"stereo-left.png", 96, 96},
                            Expected{"stereo-right.png", 96, 96}}) {
    SCOPED_TRACE(e.file);
    const fs::path path = fs::absolute(out / e.file);
    EXPECT_TRUE(mentions(r, path.string(), Stream::Out));
    ASSERT_TRUE(fs::is_regular_file(path)) << path << " was not written\n" << r.transcript();
    pav::render::Picture picture;
    try {
      picture = pav::render::readPng(path.string());
    } catch (const std::exception& ex) {
      FAIL() << ex.what();
    }
    EXPECT_EQ(picture.width, e.width);
    EXPECT_EQ(picture.height, e.height);
    // Something was drawn: a picture of one colour is a clear colour with no scene.
    std::set<uint32_t> colours;
    for (size_t i = 0; i + 3 < picture.rgba.size() && colours.size() < 3; i += 4) {
      uint32_t c = 0;
      std::memcpy(&c, &picture.rgba[i], 4);
      colours.insert(c);
    }
    EXPECT_GE(colours.size(), 2u) << path << " is a single colour";
  }
  EXPECT_TRUE(mentions(r, "160x90", Stream::Out));
  EXPECT_TRUE(mentions(r, "96x96", Stream::Out));
  // The local pavilion: a director and two station agents as processes, the match launched
  // through the director, a picture from each station.
  EXPECT_TRUE(mentions(r, "the local pavilion: a director on 127.0.0.1:", Stream::Out));
  EXPECT_TRUE(mentions(r, "the director launched session s1 on station-1 and station-2", Stream::Out));
  for (const char* f : {"station-0.png", "station-1.png", "pavilion-summary.json"})
    EXPECT_TRUE(fs::is_regular_file(out / f)) << f << " was not written\n" << r.transcript();
  EXPECT_TRUE(mentions(r, ", seat 0: ended", Stream::Out)) << r.transcript();
  EXPECT_TRUE(mentions(r, ", seat 1: ended", Stream::Out)) << r.transcript();

  // The validation layer is optional on a machine; when it is missing the program says so and
  // draws without it, and there is no message count to check.
  if (r.err.find("VK_LAYER_KHRONOS_validation is not installed") != std::string::npos) {
    std::printf("note: the validation layer is not installed; its message count is not checked\n");
  } else {
    EXPECT_TRUE(mentions(r, "validation layer on: 0 message(s)", Stream::Out));
  }
}

// ---- the harness itself: a hang and a crash must be seen as such ------------------------------

TEST(ChildProcessHarness, SeparatesStreamsAndReportsTheExitCode) {
  const ChildResult r = pav::clitest::runChild("/bin/sh", {"-c", "echo out; echo err >&2; exit 3"},
                                               Environment::inherited());
  ASSERT_TRUE(r.exited) << r.transcript();
  EXPECT_EQ(r.exitCode, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
}

TEST(ChildProcessHarness, ReportsDeathBySignal) {
  const ChildResult r =
      pav::clitest::runChild("/bin/sh", {"-c", "kill -SEGV $$"}, Environment::inherited());
  EXPECT_TRUE(r.signaled) << r.transcript();
  EXPECT_EQ(r.signal, SIGSEGV);
  EXPECT_FALSE(endedCleanlyWith(r, 0));
}

TEST(ChildProcessHarness, KillsAChildThatHangs) {
  const auto start = std::chrono::steady_clock::now();
  const ChildResult r = pav::clitest::runChild("/bin/sh", {"-c", "sleep 30"},
                                               Environment::inherited(), {},
                                               std::chrono::milliseconds(300));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.timedOut) << r.transcript();
  EXPECT_FALSE(endedCleanlyWith(r, 0));
  EXPECT_LT(took, std::chrono::seconds(10));
}

}  // namespace
