// What a glTF model may read besides itself: the files its buffers and images name, inside the
// model's folder only, and no bigger than declared. Checked on the JSON before tinygltf sees it
// (a clear message naming the URI), and again in the file callbacks tinygltf reads through
// (which read only the files the check allowed, with their size from fstat before a byte).
//
// A URI is a data: URI or a relative file name: no scheme, no absolute path, no "..", no
// backslash or NUL, after percent-decoding as tinygltf decodes it. Sizes: each buffer at most
// kMaxBufferBytes (its declared byteLength, and its file no longer than that), all buffers
// kMaxTotalBytes, each image file kMaxImageBytes (a missing one is named); images are decoded
// by material.h's decodeImage, which checks their dimensions before anything is allocated.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <tiny_gltf.h>

namespace pav::render {

class GltfFiles {
 public:
  static constexpr uint64_t kMaxBufferBytes = uint64_t(256) << 20;
  static constexpr uint64_t kMaxTotalBytes = uint64_t(512) << 20;
  static constexpr uint64_t kMaxImageBytes = uint64_t(64) << 20;

  // `modelPath`: the .gltf/.glb; `baseDir` the folder tinygltf is given.
  GltfFiles(std::string modelPath, std::string baseDir);
  // The model's JSON (of a .gltf, or a .glb's JSON chunk): throws pav::Error "<model>: <what>"
  // for a URI or a size that is refused. Files it names become readable.
  void check(std::string_view json);
  // Callbacks for tinygltf::TinyGLTF::SetFsCallbacks; they refer to this object.
  tinygltf::FsCallbacks callbacks();

  // What is wrong with a URI ("" when nothing); `file` gets the decoded relative name ("" for
  // a data: URI).
  static std::string uriProblem(const std::string& uri, std::string& file);

 private:
  [[noreturn]] void fail(const std::string& what) const;
  static bool exists(const std::string& path, void* self);
  static std::string expand(const std::string& path, void* self);
  static bool read(std::vector<unsigned char>* out, std::string* err, const std::string& path, void* self);
  static bool write(std::string* err, const std::string& path, const std::vector<unsigned char>& bytes, void* self);

  struct Allowed {
    uint64_t maxBytes = 0;
    bool image = false;
  };
  std::string model_, baseDir_;
  std::map<std::string, Allowed> allowed_;  // by the path tinygltf asks for (folder + name)
};

}  // namespace pav::render
