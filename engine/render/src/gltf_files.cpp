// The files a glTF model may read: URIs confined to its folder, sizes capped before reading.
#include "gltf_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <cstring>

#include <nlohmann/json.hpp>

#include "pav/core/durable_file.h"
#include "pav/core/error.h"

namespace pav::render {
namespace {

// Percent-decoding exactly as tinygltf's dlib::urldecode does it, so the name checked is the
// name it opens ('+' is a space; "%" needs two characters after it; a bad hex digit is 0).
unsigned char fromHex(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

std::string urlDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && s.size() > i + 2) {
      out += static_cast<char>((fromHex(static_cast<unsigned char>(s[i + 1])) << 4) | fromHex(static_cast<unsigned char>(s[i + 2])));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// tinygltf's JoinPath.
std::string joinPath(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::string realPath(const std::string& path) {
  char resolved[PATH_MAX];
  return ::realpath(path.c_str(), resolved) ? std::string(resolved) : std::string();
}

}  // namespace

GltfFiles::GltfFiles(std::string modelPath, std::string baseDir) : model_(std::move(modelPath)), baseDir_(std::move(baseDir)) {}

void GltfFiles::fail(const std::string& what) const { throw Error(model_ + ": " + what); }

std::string GltfFiles::uriProblem(const std::string& uri, std::string& file) {
  file.clear();
  if (uri.rfind("data:", 0) == 0) return "";
  // A scheme: letters, then letters, digits, + - . up to a colon.
  size_t i = 0;
  if (!uri.empty() && std::isalpha(static_cast<unsigned char>(uri[0]))) {
    while (i < uri.size() && (std::isalnum(static_cast<unsigned char>(uri[i])) || uri[i] == '+' || uri[i] == '-' || uri[i] == '.')) ++i;
    if (i < uri.size() && uri[i] == ':') return "uses the scheme '" + uri.substr(0, i + 1) + "' (only relative file names and data: URIs)";
  }
  file = urlDecode(uri);
  if (file.empty()) return "is empty";
  if (file.find('\0') != std::string::npos) return "holds a NUL character";
  if (file.find('\\') != std::string::npos) return "holds a backslash (use / between folders)";
  if (file[0] == '/') return "is an absolute path (only names inside the model's folder)";
  if (file[0] == '~') return "starts with ~ (only names inside the model's folder)";
  for (size_t start = 0; start <= file.size();) {
    const size_t end = std::min(file.find('/', start), file.size());
    if (file.compare(start, end - start, "..") == 0 && end - start == 2) return "leaves the model's folder (\"..\")";
    start = end + 1;
  }
  return "";
}

void GltfFiles::check(std::string_view json) {
  const nlohmann::json j = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (!j.is_object()) return;  // tinygltf says what is wrong; nothing outside may be read
  const auto uris = [&](const char* key, const char* what, const auto& each) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_array()) return;
    for (size_t n = 0; n < it->size(); ++n) {
      const nlohmann::json& item = (*it)[n];
      if (!item.is_object() || !item.contains("uri") || !item["uri"].is_string()) continue;
      const std::string uri = item["uri"].get<std::string>();
      std::string file;
      const std::string problem = uriProblem(uri, file);
      const std::string name = std::string(what) + " " + std::to_string(n) + "'s URI \"" + uri + "\"";
      if (!problem.empty()) fail(name + " " + problem);
      each(item, file, name);
    }
  };
  uint64_t total = 0;
  uris("buffers", "buffer", [&](const nlohmann::json& b, const std::string& file, const std::string& name) {
    const nlohmann::json length = b.value("byteLength", nlohmann::json());
    if (!length.is_number_unsigned() && !length.is_number_integer()) return;  // tinygltf refuses it
    const int64_t declared = length.is_number_unsigned() ? int64_t(std::min<uint64_t>(length.get<uint64_t>(), INT64_MAX))
                                                         : length.get<int64_t>();
    if (declared < 0 || uint64_t(declared) > kMaxBufferBytes)
      fail(name + " declares " + std::to_string(declared) + " bytes: a buffer may have at most " +
           std::to_string(kMaxBufferBytes >> 20) + " MiB");
    total += uint64_t(declared);
    if (total > kMaxTotalBytes)
      fail("its buffers declare over " + std::to_string(kMaxTotalBytes >> 20) + " MiB in all (at " + name + ")");
    if (file.empty()) return;  // data: decoded by tinygltf, no longer than the model file
    struct stat st {};
    const std::string path = joinPath(baseDir_, file);
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && uint64_t(st.st_size) > uint64_t(declared))
      fail(name + ": the file is " + std::to_string(st.st_size) + " bytes, over the " + std::to_string(declared) +
           " its buffer declares (not read)");
    allowed_[path] = {uint64_t(declared), false};
  });
  uris("images", "image", [&](const nlohmann::json&, const std::string& file, const std::string& name) {
    if (file.empty()) return;
    struct stat st {};
    const std::string path = joinPath(baseDir_, file);
    if (::stat(path.c_str(), &st) != 0) fail(name + ": the texture file " + path + " does not exist");
    if (S_ISREG(st.st_mode) && uint64_t(st.st_size) > kMaxImageBytes)
      fail(name + ": the file is " + std::to_string(st.st_size) + " bytes, over the " + std::to_string(kMaxImageBytes >> 20) +
           " MiB an image may have (not read)");
    allowed_[path] = {kMaxImageBytes, true};
  });
}

tinygltf::FsCallbacks GltfFiles::callbacks() {
  tinygltf::FsCallbacks fs{};
  fs.FileExists = &GltfFiles::exists;
  fs.ExpandFilePath = &GltfFiles::expand;
  fs.ReadWholeFile = &GltfFiles::read;
  fs.WriteWholeFile = &GltfFiles::write;
  fs.user_data = this;
  return fs;
}

// No ~ or $VAR expansion (tinygltf's default runs wordexp on the name).
std::string GltfFiles::expand(const std::string& path, void*) { return path; }

bool GltfFiles::exists(const std::string& path, void* self) {
  const GltfFiles& files = *static_cast<const GltfFiles*>(self);
  if (files.allowed_.count(path) == 0) return false;  // not a name the check allowed
  // A link inside the folder that leads out of it is outside.
  const std::string real = realPath(path), base = realPath(files.baseDir_.empty() ? "." : files.baseDir_);
  return !real.empty() && !base.empty() && real.rfind(base + "/", 0) == 0;
}

bool GltfFiles::read(std::vector<unsigned char>* out, std::string* err, const std::string& path, void* self) {
  const GltfFiles& files = *static_cast<const GltfFiles*>(self);
  const auto it = files.allowed_.find(path);
  const auto refuse = [&](const std::string& why) {
    if (err) *err += why;
    return false;
  };
  if (it == files.allowed_.end() || !exists(path, self)) return refuse("not a file of this model's folder");
  // O_NONBLOCK: a FIFO in a file's place must not block the open (it is then refused).
  const core::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd) return refuse(std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return refuse("not a regular file");
  if (uint64_t(st.st_size) > it->second.maxBytes)
    return refuse(std::to_string(st.st_size) + " bytes, over the " + std::to_string(it->second.maxBytes) + " declared");
  out->resize(size_t(st.st_size));
  size_t got = 0;
  while (got < out->size()) {
    const ssize_t n = ::read(fd.get(), out->data() + got, out->size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return refuse(std::strerror(errno));
    if (n == 0) break;
    got += size_t(n);
  }
  out->resize(got);
  return true;
}

bool GltfFiles::write(std::string* err, const std::string&, const std::vector<unsigned char>&, void*) {
  if (err) *err += "the model loader writes nothing";
  return false;
}

}  // namespace pav::render
