#include "codec/text.hpp"

#include <cstring>

namespace versile::codec::text {

bool is_valid_utf8(std::span<const std::uint8_t> bytes) noexcept {
  const std::uint8_t* p = bytes.data();
  const std::uint8_t* const end = p + bytes.size();
  while (p < end) {
    // ASCII fast path, eight bytes at a time.
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        p += 8;
        continue;
      }
    }
    const std::uint8_t c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t need;
    std::uint8_t lo = 0x80, hi = 0xbf;  // allowed range of the first continuation byte
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c == 0xe0) lo = 0xa0;       // overlong
      else if (c == 0xed) hi = 0x9f;  // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c == 0xf0) lo = 0x90;       // overlong
      else if (c == 0xf4) hi = 0x8f;  // above U+10FFFF
    } else {
      return false;  // stray continuation, c0/c1, f5..ff
    }
    if (static_cast<std::size_t>(end - p) <= need) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (std::size_t i = 2; i <= need; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
    }
    p += need + 1;
  }
  return true;
}

namespace {
void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}
}  // namespace

bool utf16_to_utf8(std::span<const std::uint8_t> bytes, std::string& out) {
  if (bytes.size() % 2 != 0) return false;
  bool little = true;
  std::size_t i = 0;
  if (bytes.size() >= 2) {
    if (bytes[0] == 0xff && bytes[1] == 0xfe) {
      i = 2;
    } else if (bytes[0] == 0xfe && bytes[1] == 0xff) {
      little = false;
      i = 2;
    }
  }
  auto unit = [&](std::size_t k) -> std::uint32_t {
    return little ? (bytes[k] | (bytes[k + 1] << 8)) : ((bytes[k] << 8) | bytes[k + 1]);
  };
  out.clear();
  out.reserve(bytes.size());
  while (i < bytes.size()) {
    std::uint32_t u = unit(i);
    i += 2;
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i >= bytes.size()) return false;
      const std::uint32_t u2 = unit(i);
      if (u2 < 0xdc00 || u2 > 0xdfff) return false;
      i += 2;
      u = 0x10000 + ((u - 0xd800) << 10) + (u2 - 0xdc00);
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      return false;
    }
    append_utf8(out, u);
  }
  return true;
}

void utf8_to_utf16le(std::string_view utf8, std::vector<std::uint8_t>& out) {
  out.reserve(out.size() + 2 + 2 * utf8.size());
  out.push_back(0xff);
  out.push_back(0xfe);
  auto put = [&](std::uint32_t u) {
    out.push_back(static_cast<std::uint8_t>(u & 0xff));
    out.push_back(static_cast<std::uint8_t>(u >> 8));
  };
  const auto* p = reinterpret_cast<const std::uint8_t*>(utf8.data());
  const auto* end = p + utf8.size();
  while (p < end) {
    std::uint32_t cp;
    const std::uint8_t c = *p;
    const std::size_t need = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    if (static_cast<std::size_t>(end - p) < need) break;  // String guarantees valid UTF-8
    if (c < 0x80) {
      cp = c;
      p += 1;
    } else if (c < 0xe0) {
      cp = ((c & 0x1fu) << 6) | (p[1] & 0x3fu);
      p += 2;
    } else if (c < 0xf0) {
      cp = ((c & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
      p += 3;
    } else {
      cp = ((c & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) | (p[3] & 0x3fu);
      p += 4;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xd800 + (cp >> 10));
      put(0xdc00 + (cp & 0x3ff));
    } else {
      put(cp);
    }
  }
}

}  // namespace versile::codec::text
