// The vp-trace/1 model (traces/reference/FORMAT.md): header, timeline events (raw chunks, step
// markers, eof, errors), the decoded protocol units of each direction, and the summary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

namespace vpstream::traces {

enum class Direction { a, b };  // a: written by the client link, b: by the server link
inline const char* to_string(Direction d) noexcept { return d == Direction::a ? "a" : "b"; }
inline Direction other(Direction d) noexcept { return d == Direction::a ? Direction::b : Direction::a; }

struct Event {
  enum class Kind { raw, step, eof, error, unknown };
  Kind kind = Kind::unknown;
  std::int64_t seq = 0;
  double t = 0;
  Direction from = Direction::a;        // raw, eof, error
  std::vector<std::uint8_t> bytes;      // raw
  int step = 0;                         // step: n
  std::string label;                    // step: label; error: what
  std::size_t offset_a = 0, offset_b = 0;  // step: offsets
  nlohmann::json extra;                 // unknown kinds are kept verbatim
};

struct Unit {
  Direction from = Direction::a;
  std::size_t index = 0;
  std::size_t offset = 0;
  std::size_t len = 0;
  std::string what;                     // handshake | message | partial
  std::optional<std::string> text;      // handshake only
  std::optional<nlohmann::json> vej;    // message only
  std::string note;
  int step = 0;
  std::int64_t end_seq = 0;
};

struct Trace {
  nlohmann::json header;   // format, scenario, description, sides, gateway …
  std::vector<Event> events;
  std::vector<Unit> units; // direction a in index order, then direction b
  nlohmann::json summary;

  std::string scenario() const { return header.value("scenario", std::string{}); }
  // Concatenated raw chunks of one direction, in seq order.
  std::vector<std::uint8_t> stream(Direction d) const;
  std::vector<const Unit*> units_of(Direction d) const;
  int step_count() const;
  std::vector<std::string> step_labels() const;
};

enum class TraceErrc {
  ok = 0,
  io_error,        // the file could not be opened or read
  bad_json,        // a line is not a JSON object
  bad_header,      // line 1 is not a vp-trace/1 header
  bad_event,       // an event line misses a required field or has a wrong type
  bad_hex,         // a raw chunk's hex is malformed
  bad_unit,        // a unit line misses a required field
  no_summary,      // the last line is not a summary
  too_large,       // the file exceeds the reader's limits
};
const std::error_category& trace_category() noexcept;
inline std::error_code make_error_code(TraceErrc e) noexcept {
  return {static_cast<int>(e), trace_category()};
}

class TraceError : public std::system_error {
 public:
  TraceError(TraceErrc e, const std::string& what) : std::system_error(make_error_code(e), what) {}
};

std::string to_hex(const std::uint8_t* data, std::size_t size);
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex);

}  // namespace vpstream::traces

template <>
struct std::is_error_code_enum<vpstream::traces::TraceErrc> : std::true_type {};
