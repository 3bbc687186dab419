#include "codec/vec_channel.hpp"

#include <cctype>

#include "codec/error.hpp"

namespace versile::codec {

namespace {

constexpr std::string_view kProtocolName = "VEC_DRAFT";
constexpr std::string_view kVersion = "0.8";

// A version component as VPy reads it: non-empty decimal digits, leading zeros allowed.
bool component_equals(std::string_view digits, char value) {
  if (digits.empty()) return false;
  std::size_t i = 0;
  while (i + 1 < digits.size() && digits[i] == '0') ++i;
  return digits.size() - i == 1 && digits[i] == value;
}

// VPy: only digits and dots, split on '.', the numbers must be exactly [0, 8].
bool version_is_0_8(std::string_view v) {
  for (char c : v) {
    if (c != '.' && (c < '0' || c > '9')) return false;
  }
  const std::size_t dot = v.find('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view major = v.substr(0, dot);
  const std::string_view minor = v.substr(dot + 1);
  if (minor.find('.') != std::string_view::npos) return false;
  return component_equals(major, '0') && component_equals(minor, '8');
}

}  // namespace

std::string vec_hello_line(std::optional<StringCodec> own_codec) {
  std::string line(kProtocolName);
  line += '-';
  line += kVersion;
  if (own_codec) line += *own_codec == StringCodec::utf8 ? "-utf8" : "-utf16";
  line += '\n';
  return line;
}

std::error_code VecHelloParser::parse_line() {
  std::string_view line(line_);
  line.remove_suffix(1);  // the LF
  std::string_view fields[3];
  std::size_t count = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dash = line.find('-', start);
    if (count == 3) return Errc::bad_vec_header;
    fields[count++] = line.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start);
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  if (count < 2) return Errc::bad_vec_header;
  if (fields[0] != kProtocolName) return Errc::bad_vec_header;
  if (!version_is_0_8(fields[1])) return Errc::bad_vec_header;
  if (count == 3) {
    if (fields[2] == "utf8") {
      codec_ = StringCodec::utf8;
    } else if (fields[2] == "utf16") {
      codec_ = StringCodec::utf16;
    } else {
      return Errc::bad_vec_header;  // includes the empty codec of "VEC_DRAFT-0.8-"
    }
  }
  return {};
}

VecHelloParser::Result VecHelloParser::feed(std::span<const std::uint8_t> input) {
  Result r;
  if (done_) {
    r.status = Status::done;
    return r;
  }
  if (error_) {
    r.status = Status::error;
    r.error = error_;
    return r;
  }
  for (std::size_t i = 0; i < input.size(); ++i) {
    const auto c = static_cast<char>(input[i]);
    line_.push_back(c);
    if (c == '\n') {
      r.consumed = i + 1;
      error_ = parse_line();
      if (error_) {
        codec_.reset();
        r.status = Status::error;
        r.error = error_;
      } else {
        done_ = true;
        r.status = Status::done;
      }
      return r;
    }
    if (line_.size() >= kVecHelloMaxBytes) {
      r.consumed = i + 1;
      error_ = Errc::bad_vec_header;
      r.status = Status::error;
      r.error = error_;
      return r;
    }
  }
  r.consumed = input.size();
  return r;
}

std::optional<StringCodec> parse_codec_name(std::string_view name) noexcept {
  // Case-insensitive "utf", an optional '-' or '_', then "8" or "16".
  if (name.size() < 4) return std::nullopt;
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  if (lower(name[0]) != 'u' || lower(name[1]) != 't' || lower(name[2]) != 'f') return std::nullopt;
  std::string_view rest = name.substr(3);
  if (rest.front() == '-' || rest.front() == '_') rest.remove_prefix(1);
  if (rest == "8") return StringCodec::utf8;
  if (rest == "16") return StringCodec::utf16;
  return std::nullopt;
}

}  // namespace versile::codec
