// pavilion-asset-gen: writes the project's glTF models (models.h) and their textures as PNG
// (textures.h, into textures/) into a folder, or checks that the folder holds exactly what a
// fresh run would write.
//
//   pavilion-asset-gen assets/models          # (re)generate: <name>.gltf + <name>.bin, textures/<t>.png
//   pavilion-asset-gen --check assets/models  # exit 1 naming every file that differs
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include <CLI/CLI.hpp>

#include "models.h"
#include "textures.h"

namespace {

namespace fs = std::filesystem;

std::string readAll(const fs::path& p, bool& ok) {
  std::ifstream in(p, std::ios::binary);
  ok = bool(in);
  return ok ? std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()) : std::string();
}

bool writeAll(const fs::path& p, const void* data, size_t n) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char*>(data), std::streamsize(n));
  return bool(out);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Writes the Pavilion's glTF models (car, bike and rider, hockey table, track scenery)"};
  std::string dir = "assets/models";
  bool check = false;
  app.add_option("dir", dir, "Folder to write (default: assets/models)");
  app.add_flag("--check", check, "Write nothing; fail if the folder differs from a fresh run");
  CLI11_PARSE(app, argc, argv);

  if (!check) {
    std::error_code ec;
    fs::create_directories(fs::path(dir) / "textures", ec);
    if (ec) {
      std::fprintf(stderr, "pavilion-asset-gen: cannot create %s: %s\n", dir.c_str(), ec.message().c_str());
      return 1;
    }
  }
  int differences = 0;
  std::set<std::string> written;
  struct Output {
    std::string name;  // relative to the folder
    std::string bytes;
  };
  std::vector<Output> outputs;
  for (const pav::assetgen::Model& model : pav::assetgen::allModels()) {
    const pav::assetgen::GltfFiles files = pav::assetgen::encodeGltf(model);
    outputs.push_back({model.name + ".gltf", files.json});
    outputs.push_back({model.name + ".bin", std::string(files.bin.begin(), files.bin.end())});
  }
  for (const pav::assetgen::TextureImage& t : pav::assetgen::allTextures()) {
    const std::vector<uint8_t> png = pav::assetgen::encodePng(t);
    outputs.push_back({"textures/" + t.name + ".png", std::string(png.begin(), png.end())});
  }
  {
    for (const Output& o : outputs) {
      const fs::path path = fs::path(dir) / o.name;
      written.insert(o.name);
      if (check) {
        bool ok = false;
        const std::string have = readAll(path, ok);
        if (!ok || have != o.bytes) {
          std::fprintf(stderr, "pavilion-asset-gen: %s %s\n", path.c_str(),
                       ok ? "differs from a fresh run" : "is missing");
          ++differences;
        }
      } else if (!writeAll(path, o.bytes.data(), o.bytes.size())) {
        std::fprintf(stderr, "pavilion-asset-gen: cannot write %s\n", path.c_str());
        return 1;
      } else {
        std::printf("%s (%zu bytes)\n", path.c_str(), o.bytes.size());
      }
    }
  }
  if (check) {
    std::error_code ec;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir, ec)) {
      const std::string ext = e.path().extension().string();
      const std::string name = fs::relative(e.path(), dir).string();
      if ((ext == ".gltf" || ext == ".bin" || ext == ".glb" || ext == ".png") && !written.count(name)) {
        std::fprintf(stderr, "pavilion-asset-gen: %s is not made by this generator\n", e.path().c_str());
        ++differences;
      }
    }
    if (ec) {
      std::fprintf(stderr, "pavilion-asset-gen: cannot list %s: %s\n", dir.c_str(), ec.message().c_str());
      return 1;
    }
    if (differences) {
      std::fprintf(stderr, "pavilion-asset-gen: %d file(s) out of date; regenerate with: pavilion-asset-gen %s\n",
                   differences, dir.c_str());
      return 1;
    }
    std::printf("pavilion-asset-gen: %s matches a fresh run (%zu files)\n", dir.c_str(), written.size());
  }
  return 0;
}
