// Texture files: a good PNG decodes to its pixels; a missing, empty, corrupt or oversized one,
// or one in a format glTF does not take, is refused with a message that names the file and the
// problem, both read directly (render::loadImage) and through a model that uses it (the path a
// presenter's meshes() takes, so the presenter stops with that message).
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pav/core/error.h"
#include "pav/render/gltf.h"
#include "pav/render/material.h"
#include "textures.h"

namespace pav::test {
namespace {

namespace fs = std::filesystem;

class TextureFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(PAV_TEST_ARTIFACT_DIR) / "texture-files" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  std::string write(const std::string& name, const std::string& bytes) const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  // A PNG written by the asset generator's encoder.
  std::string png(const std::string& name, uint32_t w, uint32_t h, std::vector<uint8_t> rgba = {}) const {
    if (rgba.empty()) rgba.assign(size_t(w) * h * 4, 200);
    const std::vector<uint8_t> bytes = assetgen::encodePng({name, w, h, std::move(rgba)});
    return write(name, std::string(bytes.begin(), bytes.end()));
  }
  static std::string errorOf(const std::function<void()>& load) {
    try {
      load();
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  static std::string imageError(const std::string& path) {
    return errorOf([&] { render::loadImage(path); });
  }
  fs::path dir_;
};

TEST_F(TextureFiles, AGoodPngDecodesToItsPixels) {
  std::vector<uint8_t> pixels;
  for (uint8_t i = 0; i < 6; ++i) pixels.insert(pixels.end(), {uint8_t(i * 40), uint8_t(255 - i), 7, 255});
  const render::ImageRef image = render::loadImage(png("good.png", 3, 2, pixels));
  ASSERT_TRUE(image);
  EXPECT_EQ(image->width, 3u);
  EXPECT_EQ(image->height, 2u);
  EXPECT_EQ(image->rgba, pixels);
}

TEST_F(TextureFiles, BadFilesAreRefusedNamingTheFileAndTheProblem) {
  const std::string missing = (dir_ / "missing.png").string();
  EXPECT_EQ(imageError(missing), missing + ": the texture file does not exist");
  const std::string empty = write("empty.png", "");
  EXPECT_EQ(imageError(empty), empty + ": the image file is empty");
  // A PNG signature, then junk: stb_image's reason follows.
  const std::string corrupt = write("corrupt.png", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(64, 'x'));
  EXPECT_EQ(imageError(corrupt).rfind(corrupt + ": corrupt PNG (", 0), 0u) << imageError(corrupt);
  // A real PNG cut short after its header: the header reads, the pixels do not.
  std::ifstream in(png("whole.png", 64, 64), std::ios::binary);
  const std::string whole((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut = write("cut.png", whole.substr(0, 60));
  EXPECT_EQ(imageError(cut).rfind(cut + ": corrupt PNG (", 0), 0u) << imageError(cut);
  // Over 4096 pixels a side: refused from the header, before decoding.
  const std::string wide = png("wide.png", 5000, 1);
  EXPECT_EQ(imageError(wide), wide + ": the image is 5000x1, over the 4096 pixels a side a texture may have");
  // Formats glTF does not take, named when recognised.
  const std::string gif = write("paint.gif", "GIF89a\x01\x00\x01\x00");
  EXPECT_EQ(imageError(gif), gif + ": unsupported image format (GIF); textures must be PNG or JPEG");
  const std::string text = write("notes.png", "just some text");
  EXPECT_EQ(imageError(text), text + ": unsupported image format; textures must be PNG or JPEG");
  // A folder in the file's place.
  fs::create_directories(dir_ / "folder.png");
  EXPECT_EQ(imageError((dir_ / "folder.png").string()), (dir_ / "folder.png").string() + ": not a regular file");
}

TEST_F(TextureFiles, AModelWithABadTextureIsRefusedNamingTheTexture) {
  // The committed barrier with its base colour texture replaced by each bad file in turn.
  const std::string models = PAV_MODELS_DIR;
  std::ifstream gltf(models + "/barrier.gltf", std::ios::binary);
  nlohmann::json j = nlohmann::json::parse(std::string((std::istreambuf_iterator<char>(gltf)), {}));
  ASSERT_FALSE(j["images"].empty()) << "the barrier model has no textures";
  std::ifstream bin(models + "/barrier.bin", std::ios::binary);
  write("barrier.bin", std::string((std::istreambuf_iterator<char>(bin)), std::istreambuf_iterator<char>()));
  for (const nlohmann::json& image : j["images"]) {
    const std::string uri = image["uri"].get<std::string>();
    fs::create_directories((dir_ / uri).parent_path());
    fs::copy_file(models + "/" + uri, dir_ / uri, fs::copy_options::overwrite_existing);
  }
  const std::string uri = j["images"][0]["uri"].get<std::string>();
  const std::string texture = (dir_ / uri).string(), model = (dir_ / "barrier.gltf").string();
  std::ofstream(model, std::ios::binary) << j.dump();
  EXPECT_NO_THROW(render::loadGltfModel(model));

  const auto modelError = [&] { return errorOf([&] { render::loadGltfModel(model); }); };
  write(uri, "GIF89a");
  EXPECT_NE(modelError().find(texture + ": unsupported image format (GIF)"), std::string::npos) << modelError();
  write(uri, std::string("\x89PNG\r\n\x1a\n", 8) + "junk");
  EXPECT_NE(modelError().find(texture + ": corrupt PNG"), std::string::npos) << modelError();
  fs::remove(texture);
  png(uri, 4097, 2);
  EXPECT_NE(modelError().find(texture + ": the image is 4097x2, over the 4096 pixels"), std::string::npos)
      << modelError();
  fs::remove(texture);
  EXPECT_NE(modelError().find("the texture file " + texture + " does not exist"), std::string::npos) << modelError();
  EXPECT_EQ(modelError().rfind(model + ": ", 0), 0u) << "the model is not named first: " << modelError();
}

}  // namespace
}  // namespace pav::test
