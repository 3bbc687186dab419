#include "trace.hpp"

#include "entity/hex.hpp"

#include <algorithm>

namespace vpstream::traces {

std::vector<std::uint8_t> Trace::stream(Direction d) const {
  std::vector<std::uint8_t> out;
  for (const auto& e : events) {
    if (e.kind == Event::Kind::raw && e.from == d) out.insert(out.end(), e.bytes.begin(), e.bytes.end());
  }
  return out;
}

std::vector<const Unit*> Trace::units_of(Direction d) const {
  std::vector<const Unit*> out;
  for (const auto& u : units) {
    if (u.from == d) out.push_back(&u);
  }
  std::ranges::sort(out, {}, &Unit::index);
  return out;
}

int Trace::step_count() const {
  int n = 0;
  for (const auto& e : events) {
    if (e.kind == Event::Kind::step) n = std::max(n, e.step + 1);
  }
  return n;
}

std::vector<std::string> Trace::step_labels() const {
  std::vector<std::string> out;
  for (const auto& e : events) {
    if (e.kind == Event::Kind::step) out.push_back(e.label);
  }
  return out;
}

namespace {
class TraceCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "vp-trace"; }
  std::string message(int ev) const override {
    switch (static_cast<TraceErrc>(ev)) {
      case TraceErrc::ok: return "ok";
      case TraceErrc::io_error: return "trace file could not be read";
      case TraceErrc::bad_json: return "trace line is not a JSON object";
      case TraceErrc::bad_header: return "line 1 is not a vp-trace/1 header";
      case TraceErrc::bad_event: return "malformed event line";
      case TraceErrc::bad_hex: return "malformed hex in a raw chunk";
      case TraceErrc::bad_unit: return "malformed unit line";
      case TraceErrc::no_summary: return "last line is not a summary";
      case TraceErrc::too_large: return "trace exceeds the reader limits";
    }
    return "unknown trace error";
  }
};
}  // namespace

const std::error_category& trace_category() noexcept {
  static const TraceCategory category;
  return category;
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
  return versile::to_hex(std::span<const std::uint8_t>(data, size));
}

std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex) { return versile::from_hex(hex); }

}  // namespace vpstream::traces
