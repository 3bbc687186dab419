#include "io/vop_negotiation.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <system_error>

namespace versile::io {

namespace {

class VopCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vpstream.vop"; }
  std::string message(int ev) const override {
    switch (static_cast<VopErrc>(ev)) {
      case VopErrc::ok: return "ok";
      case VopErrc::line_too_long: return "VOP line without LF within 64 bytes";
      case VopErrc::bad_prefix: return "VOP line has a wrong prefix";
      case VopErrc::bad_transport_token: return "unknown VOP transport token";
      case VopErrc::duplicate_transport: return "VOP transport listed twice";
      case VopErrc::empty_transport_list: return "empty VOP transport list";
      case VopErrc::no_common_transport: return "no VOP transport in common with the peer";
      case VopErrc::transport_not_offered: return "server chose a VOP transport that was not offered";
      case VopErrc::no_transport_enabled: return "no VOP transport enabled";
      case VopErrc::transport_unsupported: return "VOP transport not supported by this implementation";
      case VopErrc::peer_closed: return "peer closed the connection during VOP negotiation";
      case VopErrc::timeout: return "VOP negotiation timed out";
      case VopErrc::bad_url: return "malformed vop:// URL";
    }
    return "unknown VOP error";
  }
};

constexpr std::array<VopTransport, 3> kPreference{VopTransport::vts, VopTransport::tls,
                                                   VopTransport::plain};

VopFeedResult failed(std::size_t consumed, std::error_code ec) {
  return {consumed, VopFeedResult::Status::error, ec};
}

// The skeleton both sides share: once judged, the verdict sticks; otherwise read one line and
// let `check` judge it (an empty error_code accepts it).
template <class Check>
VopFeedResult judge_line(VopLineReader& reader, std::optional<std::error_code>& verdict,
                         std::span<const std::uint8_t> input, Check check) {
  if (verdict) {
    return *verdict ? failed(0, *verdict) : VopFeedResult{0, VopFeedResult::Status::done, {}};
  }
  auto r = reader.feed(input);
  if (r.status == VopFeedResult::Status::need_more) return r;
  const std::error_code ec = r.status == VopFeedResult::Status::error ? r.error : check(reader.line());
  verdict = ec;
  r.error = ec;
  r.status = ec ? VopFeedResult::Status::error : VopFeedResult::Status::done;
  return r;
}

}  // namespace

const std::error_category& vop_category() noexcept {
  static const VopCategory category;
  return category;
}

std::string_view to_string(VopTransport t) noexcept {
  switch (t) {
    case VopTransport::vts: return "VTS";
    case VopTransport::tls: return "TLS";
    case VopTransport::plain: return "PLAIN";
  }
  return "?";
}

std::optional<VopTransport> parse_vop_transport(std::string_view token) noexcept {
  for (auto t : kPreference) {
    if (token == to_string(t)) return t;
  }
  return std::nullopt;
}

std::error_code parse_vop_transport_list(std::string_view list, VopTransportSet& out) {
  out = {};
  if (list.empty()) return VopErrc::empty_transport_list;
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = list.find(':', start);
    const std::string_view token =
        list.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    const auto t = parse_vop_transport(token);
    if (!t) return VopErrc::bad_transport_token;
    if (out.contains(*t)) return VopErrc::duplicate_transport;
    out.insert(*t);
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  return {};
}

VopFeedResult VopLineReader::feed(std::span<const std::uint8_t> input) {
  const auto* begin = input.data();
  const auto* end = begin + input.size();
  const auto* lf = std::find(begin, end, std::uint8_t{'\n'});
  const std::size_t upto = lf == end ? input.size() : static_cast<std::size_t>(lf - begin) + 1;
  // The limit counts the LF: a line may hold at most kVopMaxLine - 1 bytes before it.
  const std::size_t room = kVopMaxLine - line_.size();
  if (upto > room) return failed(room, VopErrc::line_too_long);
  if (lf == end) {
    line_.append(reinterpret_cast<const char*>(begin), input.size());
    if (line_.size() >= kVopMaxLine) return failed(input.size(), VopErrc::line_too_long);
    return {input.size(), VopFeedResult::Status::need_more, {}};
  }
  line_.append(reinterpret_cast<const char*>(begin), upto - 1);
  return {upto, VopFeedResult::Status::done, {}};
}

VopServerNegotiation::VopServerNegotiation(VopTransportSet enabled) : enabled_(enabled) {}

VopFeedResult VopServerNegotiation::feed(std::span<const std::uint8_t> input) {
  return judge_line(reader_, final_, input, [this](std::string_view line) -> std::error_code {
    if (enabled_.empty()) return VopErrc::no_transport_enabled;
    if (!line.starts_with(kVopRequestPrefix)) return VopErrc::bad_prefix;
    if (auto ec = parse_vop_transport_list(line.substr(kVopRequestPrefix.size()), offered_)) {
      return ec;
    }
    for (auto t : kPreference) {
      if (offered_.contains(t) && enabled_.contains(t)) {
        chosen_ = t;
        return {};
      }
    }
    return VopErrc::no_common_transport;
  });
}

std::string VopServerNegotiation::answer_line() const {
  std::string s(kVopAnswerPrefix);
  s += to_string(chosen_);
  s += '\n';
  return s;
}

VopClientNegotiation::VopClientNegotiation(VopTransportSet offered) : offered_(offered) {}

std::string VopClientNegotiation::request_line() const {
  if (offered_.empty()) throw std::system_error(make_error_code(VopErrc::no_transport_enabled));
  std::string s(kVopRequestPrefix.substr(0, kVopRequestPrefix.size() - 1));  // without ':'
  for (auto t : kPreference) {
    if (offered_.contains(t)) {
      s += ':';
      s += to_string(t);
    }
  }
  s += '\n';
  return s;
}

VopFeedResult VopClientNegotiation::feed(std::span<const std::uint8_t> input) {
  return judge_line(reader_, final_, input, [this](std::string_view line) -> std::error_code {
    if (!line.starts_with(kVopAnswerPrefix)) return VopErrc::bad_prefix;
    const auto t = parse_vop_transport(line.substr(kVopAnswerPrefix.size()));
    if (!t) return VopErrc::bad_transport_token;
    if (!offered_.contains(*t)) return VopErrc::transport_not_offered;
    chosen_ = *t;
    return {};
  });
}

}  // namespace versile::io
