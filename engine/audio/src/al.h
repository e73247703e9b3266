// The audio room's local header: move-only owners of OpenAL Soft's handles, declared in the
// order they are made (device, context, buffers, sources) so they go in reverse, and the
// synthesizer that makes a SoundSpec's samples.
#pragma once

#include <AL/al.h>
#include <AL/alc.h>
#include <AL/alext.h>

#include <utility>
#include <vector>

#include "pav/render/sound.h"

namespace pav::audio::detail {

// An open device (a real one or the loopback one); closes it.
class DeviceOwner {
 public:
  DeviceOwner() = default;
  explicit DeviceOwner(ALCdevice* d) : device_(d) {}
  ~DeviceOwner() { reset(); }
  DeviceOwner(DeviceOwner&& o) noexcept : device_(std::exchange(o.device_, nullptr)) {}
  DeviceOwner& operator=(DeviceOwner&& o) noexcept {
    if (this != &o) reset(), device_ = std::exchange(o.device_, nullptr);
    return *this;
  }
  ALCdevice* get() const { return device_; }
  explicit operator bool() const { return device_ != nullptr; }

 private:
  void reset() {
    if (device_) alcCloseDevice(device_);
    device_ = nullptr;
  }
  ALCdevice* device_ = nullptr;
};

// A context made current on creation; un-made current and destroyed on destruction.
class ContextOwner {
 public:
  ContextOwner() = default;
  explicit ContextOwner(ALCcontext* c) : context_(c) {
    if (context_) alcMakeContextCurrent(context_);
  }
  ~ContextOwner() { reset(); }
  ContextOwner(ContextOwner&& o) noexcept : context_(std::exchange(o.context_, nullptr)) {}
  ContextOwner& operator=(ContextOwner&& o) noexcept {
    if (this != &o) reset(), context_ = std::exchange(o.context_, nullptr);
    return *this;
  }
  ALCcontext* get() const { return context_; }
  explicit operator bool() const { return context_ != nullptr; }

 private:
  void reset() {
    if (!context_) return;
    if (alcGetCurrentContext() == context_) alcMakeContextCurrent(nullptr);
    alcDestroyContext(context_);
    context_ = nullptr;
  }
  ALCcontext* context_ = nullptr;
};

// OpenAL names (buffers or sources) made and deleted together, in the current context.
template <void (*Gen)(ALsizei, ALuint*), void (*Delete)(ALsizei, const ALuint*)>
class NamesOwner {
 public:
  NamesOwner() = default;
  explicit NamesOwner(size_t n) : names_(n, 0) {
    if (n > 0) Gen(static_cast<ALsizei>(n), names_.data());
  }
  ~NamesOwner() { reset(); }
  NamesOwner(NamesOwner&& o) noexcept : names_(std::move(o.names_)) { o.names_.clear(); }
  NamesOwner& operator=(NamesOwner&& o) noexcept {
    if (this != &o) {
      reset();
      names_ = std::move(o.names_);
      o.names_.clear();
    }
    return *this;
  }
  ALuint operator[](size_t i) const { return names_[i]; }
  size_t size() const { return names_.size(); }

 private:
  void reset() {
    if (!names_.empty()) Delete(static_cast<ALsizei>(names_.size()), names_.data());
    names_.clear();
  }
  std::vector<ALuint> names_;
};

inline void genBuffers(ALsizei n, ALuint* b) { alGenBuffers(n, b); }
inline void deleteBuffers(ALsizei n, const ALuint* b) { alDeleteBuffers(n, b); }
inline void genSources(ALsizei n, ALuint* s) { alGenSources(n, s); }
inline void deleteSources(ALsizei n, const ALuint* s) { alDeleteSources(n, s); }
using BufferOwner = NamesOwner<genBuffers, deleteBuffers>;
using SourceOwner = NamesOwner<genSources, deleteSources>;

// The mono samples of `spec` at `rate` (-1..1): loops seamless, one-shots faded in and out.
// Throws pav::Error naming the sound when its recipe cannot be made.
std::vector<float> synthesize(const render::SoundSpec& spec, int rate);

}  // namespace pav::audio::detail
