// BitWriter and BitReader: bits go out least-significant first through a 64-bit scratch word,
// so a value may straddle byte boundaries without any per-bit loop.
#include "pav/net/bitstream.h"

#include <algorithm>

namespace pav::net {

bool BitWriter::writeBits(uint32_t value, int bits) {
  if (bits <= 0 || bits > 32) return false;
  if (bits_ + static_cast<size_t>(bits) > buffer_.size() * 8) {
    overflow_ = true;
    return false;
  }
  const uint64_t mask = bits == 32 ? 0xffffffffull : ((1ull << bits) - 1);
  scratch_ |= (static_cast<uint64_t>(value) & mask) << scratchBits_;
  scratchBits_ += bits;
  bits_ += static_cast<size_t>(bits);
  while (scratchBits_ >= 8) {
    buffer_[byte_++] = static_cast<uint8_t>(scratch_ & 0xff);
    scratch_ >>= 8;
    scratchBits_ -= 8;
  }
  return true;
}

void BitWriter::flush() {
  if (scratchBits_ > 0 && byte_ < buffer_.size()) {
    buffer_[byte_++] = static_cast<uint8_t>(scratch_ & 0xff);
    scratch_ = 0;
    scratchBits_ = 0;
  }
}

bool BitReader::readBits(uint32_t& value, int bits) {
  if (bits <= 0 || bits > 32 || static_cast<size_t>(bits) > bitsLeft()) return false;
  uint64_t v = 0;
  int got = 0;
  while (got < bits) {
    const size_t byte = bits_ / 8;
    const int offset = static_cast<int>(bits_ % 8);
    const int take = std::min(8 - offset, bits - got);
    const uint64_t part = (static_cast<uint64_t>(data_[byte]) >> offset) & ((1u << take) - 1);
    v |= part << got;
    got += take;
    bits_ += static_cast<size_t>(take);
  }
  value = static_cast<uint32_t>(v);
  return true;
}

}  // namespace pav::net
