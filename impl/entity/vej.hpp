// VEJ: the JSON notation for entities used by the trace files, the test vectors and the
// `vpstream entity` command (entities.md §12, traces/reference/FORMAT.md "VEJ notation").
//
//   null / true / false             None / booleans
//   {"int":"-42"}                   Integer (decimal string, any size)
//   {"float":{"digits":"5","base":"2","exp":"-1"}}   Float triple (decimal strings, base >= 2)
//   {"bytes":"00ff"}                Bytes (hex; to_vej writes lowercase)
//   {"str":"text"[,"enc":"utf8"|"utf16"]}  String; "enc" = explicit codec (sent as f5)
//   [ ... ]                         Tuple
//   {"exception":[ ... ]}           Exception
//   {"tagged":v,"tags":[ ... ]}     Tagged
//   {"local":"N"} / {"remote":"N"}  raw ObjectRef: fc (sender-owned) / fd (receiver-owned)
//
// JSON numbers and strings are not entities. Objects must have exactly the keys listed.
// from_vej is lenient in two ways only: integer strings may have leading zeros ("007", "-0")
// and hex may be upper case; to_vej always writes the canonical form.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "entity/entity.hpp"

namespace versile {

enum class VejErrc : std::uint8_t {
  bad_json,        // the text is not JSON at all (parse_vej only)
  not_an_entity,   // JSON that is no VEJ form: a number, a bare string, unknown/missing/extra keys
  bad_integer,     // an "int", float part or reference id that is not a decimal string
  bad_float,       // "float" not an object with digits/base/exp, or base < 2
  bad_hex,         // "bytes" not a string of hex digit pairs
  bad_utf8,        // "str" text not valid UTF-8 (e.g. a JSON value built in code)
  bad_codec,       // "enc" other than "utf8" / "utf16"
  too_deep,        // nesting deeper than the caller's limit
  live_object,     // to_vej: a live object without a way to name it
};

// Stable lowercase token ("bad_integer", ...), used by the CLI's {"error": ...} lines.
const char* vej_errc_name(VejErrc e) noexcept;

class VejError : public std::runtime_error {
 public:
  VejError(VejErrc category, const std::string& detail)
      : std::runtime_error(detail), category_(category) {}
  VejErrc category() const noexcept { return category_; }

 private:
  VejErrc category_;
};

// Default nesting limit of from_vej: the codec's default decode depth (vectors nest to 100).
inline constexpr std::size_t kVejDefaultMaxDepth = 512;

// Throws VejError.
Entity from_vej(const nlohmann::json& vej, std::size_t max_depth = kVejDefaultMaxDepth);
// Parses JSON text and converts it; JSON syntax errors become VejErrc::bad_json.
Entity parse_vej(std::string_view text, std::size_t max_depth = kVejDefaultMaxDepth);

// How a live object reference appears in VEJ: the wire reference it stands for (e.g. what a
// link's id table says), or nullopt when it cannot be named.
struct VejRef {
  ObjectRef::Owner owner;
  Integer id;
};
using VejRefNamer = std::function<std::optional<VejRef>(const ObjectRef&)>;

// Raw references become {"local"|"remote": id}. A live object (an ObjectRef holding an
// Object) has no id outside a link, so it is written through `name_live` when given and
// otherwise throws VejError(live_object) rather than inventing an id.
nlohmann::json to_vej(const Entity& e);
nlohmann::json to_vej(const Entity& e, const VejRefNamer& name_live);

}  // namespace versile
