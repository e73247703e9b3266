// glTF models read only their own folder: buffer and image URIs that leave it (.., absolute
// paths, schemes, the same percent-encoded, a link out of the folder) are refused naming the
// URI, and sizes are capped before a byte of a file is read (a sparse 8 GiB .bin, a declared
// byteLength of 300 MiB, a FIFO that would block a reader forever).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pav/core/error.h"
#include "pav/render/gltf.h"

namespace pav::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class GltfConfinement : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(PAV_TEST_ARTIFACT_DIR) / "gltf-confinement" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "model");
    fs::copy(std::string(PAV_MODELS_DIR) + "/textures", dir_ / "model" / "textures", fs::copy_options::recursive);
    // A valid buffer outside the model's folder: what a traversal would read.
    std::ofstream(dir_ / "secret.bin", std::ios::binary) << committed("car.bin");
  }
  static std::string committed(const std::string& name) {
    std::ifstream in(std::string(PAV_MODELS_DIR) + "/" + name, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  // The committed car in model/, its first buffer's URI set to `uri` (car.bin beside it).
  std::string carWith(const std::function<void(json&)>& change) const {
    json j = json::parse(committed("car.gltf"));
    change(j);
    std::ofstream(dir_ / "model" / "car.bin", std::ios::binary) << committed("car.bin");
    const std::string path = (dir_ / "model" / "car.gltf").string();
    std::ofstream(path, std::ios::binary) << j.dump();
    return path;
  }
  std::string carWithBuffer(const std::string& uri) const {
    return carWith([&](json& j) { j["buffers"][0]["uri"] = uri; });
  }
  static std::string errorOf(const std::string& path) {
    try {
      render::loadGltfModel(path);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(GltfConfinement, TheCarLoadsFromItsOwnFolder) {
  EXPECT_EQ(errorOf(carWithBuffer("car.bin")), "");
  // A percent-encoded name inside the folder is still fine.
  fs::copy_file(dir_ / "secret.bin", dir_ / "model" / "my car.bin");
  EXPECT_EQ(errorOf(carWithBuffer("my%20car.bin")), "");
}

TEST_F(GltfConfinement, DotDotIsRefusedNamingTheUri) {
  const std::string path = carWithBuffer("../secret.bin");
  const std::string error = errorOf(path);
  EXPECT_NE(error.find(path + ": buffer 0's URI \"../secret.bin\" leaves the model's folder"), std::string::npos) << error;
  EXPECT_NE(errorOf(carWithBuffer("sub/../../secret.bin")).find("leaves the model's folder"), std::string::npos);
  // Percent-encoded dots are decoded first, as the reader would decode them.
  const std::string encoded = errorOf(carWithBuffer("%2e%2e/secret.bin"));
  EXPECT_NE(encoded.find("URI \"%2e%2e/secret.bin\" leaves the model's folder"), std::string::npos) << encoded;
  EXPECT_NE(errorOf(carWithBuffer("..%2Fsecret.bin")).find("leaves the model's folder"), std::string::npos);
}

TEST_F(GltfConfinement, AbsolutePathsSchemesAndOddNamesAreRefused) {
  const std::string absolute = (dir_ / "secret.bin").string();
  const std::string a = errorOf(carWithBuffer(absolute));
  EXPECT_NE(a.find("URI \"" + absolute + "\" is an absolute path"), std::string::npos) << a;
  EXPECT_NE(errorOf(carWithBuffer("%2F" + absolute.substr(1))).find("is an absolute path"), std::string::npos);
  EXPECT_NE(errorOf(carWithBuffer("file://" + absolute)).find("uses the scheme 'file:'"), std::string::npos);
  EXPECT_NE(errorOf(carWithBuffer("https://example.com/car.bin")).find("uses the scheme 'https:'"), std::string::npos);
  EXPECT_NE(errorOf(carWithBuffer("~/secret.bin")).find("starts with ~"), std::string::npos);
  EXPECT_NE(errorOf(carWithBuffer("..\\secret.bin")).find("holds a backslash"), std::string::npos);
  EXPECT_NE(errorOf(carWithBuffer("car.bin%00.png")).find("holds a NUL"), std::string::npos);
}

TEST_F(GltfConfinement, ImagesAreConfinedToo) {
  const std::string error = errorOf(carWith([](json& j) { j["images"] = json::array({{{"uri", "../../../../etc/passwd"}}}); }));
  EXPECT_NE(error.find("image 0's URI \"../../../../etc/passwd\" leaves the model's folder"), std::string::npos) << error;
  // An image file inside the folder is read, and decoded: one that is not an image is refused,
  // naming the file and the problem.
  std::ofstream(dir_ / "model" / "paint.png") << "not even a png";
  const std::string junk = errorOf(carWith([](json& j) { j["images"] = json::array({{{"uri", "paint.png"}}}); }));
  EXPECT_NE(junk.find((dir_ / "model" / "paint.png").string() + ": unsupported image format"), std::string::npos) << junk;
}

TEST_F(GltfConfinement, ALinkOutOfTheFolderIsNotFollowed) {
  const std::string path = carWithBuffer("car.bin");
  fs::remove(dir_ / "model" / "car.bin");
  fs::create_symlink(dir_ / "secret.bin", dir_ / "model" / "car.bin");
  const std::string error = errorOf(path);
  EXPECT_NE(error.find("car.bin"), std::string::npos) << error;
  EXPECT_NE(error, "");
}

TEST_F(GltfConfinement, SizesAreCappedBeforeAnythingIsRead) {
  // A declared byteLength over the cap: refused from the JSON alone.
  const std::string huge = errorOf(carWith([](json& j) { j["buffers"][0]["byteLength"] = uint64_t(300) << 20; }));
  EXPECT_NE(huge.find("buffer 0's URI \"car.bin\" declares 314572800 bytes: a buffer may have at most 256 MiB"), std::string::npos) << huge;
  // A file far bigger than its buffer declares (8 GiB, sparse): refused by its size, unread.
  const std::string path = carWith([](json& j) { j["buffers"][0]["uri"] = "big.bin"; });
  {
    std::ofstream(dir_ / "model" / "big.bin");
  }
  fs::resize_file(dir_ / "model" / "big.bin", uint64_t(8) << 30);
  const std::string big = errorOf(path);
  EXPECT_NE(big.find("buffer 0's URI \"big.bin\": the file is 8589934592 bytes, over the"), std::string::npos) << big;
  EXPECT_NE(big.find("(not read)"), std::string::npos) << big;
  // A FIFO in the buffer's place would block a reader forever: not a regular file, refused.
  fs::remove(dir_ / "model" / "big.bin");
  ASSERT_EQ(::mkfifo((dir_ / "model" / "big.bin").c_str(), 0600), 0);
  EXPECT_NE(errorOf(path), "");
  // A declared total over 512 MiB, each buffer under the cap.
  const std::string total = errorOf(carWith([](json& j) {
    const json b = {{"uri", "car.bin"}, {"byteLength", uint64_t(200) << 20}};
    j["buffers"] = json::array({j["buffers"][0], b, b, b});
  }));
  EXPECT_NE(total.find("its buffers declare over 512 MiB in all"), std::string::npos) << total;
}

}  // namespace
}  // namespace pav::test
