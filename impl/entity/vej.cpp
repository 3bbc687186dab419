// VEJ ⇄ Entity (see vej.hpp for the notation).
#include "entity/vej.hpp"

#include "entity/hex.hpp"

#include <string_view>
#include <utility>
#include <vector>

namespace versile {
namespace {

using json = nlohmann::json;

[[noreturn]] void fail(VejErrc category, const std::string& detail) { throw VejError(category, detail); }

Integer parse_integer(const json& j, std::string_view what) {
  if (!j.is_string()) fail(VejErrc::bad_integer, std::string(what) + " must be a decimal string");
  auto v = Integer::from_decimal(j.get_ref<const std::string&>());
  if (!v) fail(VejErrc::bad_integer, std::string(what) + " is not a decimal integer: " + j.dump());
  return std::move(*v);
}

Bytes parse_hex(const json& j) {
  if (!j.is_string()) fail(VejErrc::bad_hex, "\"bytes\" must be a hex string");
  auto bytes = from_hex(j.get_ref<const std::string&>());
  if (!bytes) fail(VejErrc::bad_hex, "\"bytes\" is not an even number of hex digits");
  return Bytes(std::move(*bytes));
}

bool has_exactly(const json& obj, std::initializer_list<std::string_view> keys) {
  if (obj.size() != keys.size()) return false;
  for (auto k : keys) {
    if (!obj.contains(k)) return false;
  }
  return true;
}

std::vector<Entity> parse_list(const json& j, std::string_view what, std::size_t depth_left);

Entity parse(const json& j, std::size_t depth_left) {
  switch (j.type()) {
    case json::value_t::null: return Entity(None{});
    case json::value_t::boolean: return Entity(j.get<bool>());
    case json::value_t::array: return Entity(Tuple(parse_list(j, "tuple", depth_left)));
    case json::value_t::object: break;
    default: fail(VejErrc::not_an_entity, "not a VEJ value: " + j.dump());
  }
  if (j.size() == 1) {
    // A named iterator: binding to *j.items().begin() dangles (ASan stack-use-after-scope).
    const auto first = j.begin();
    const std::string& key = first.key();
    const json& val = first.value();
    if (key == "int") return Entity(parse_integer(val, "\"int\""));
    if (key == "bytes") return Entity(parse_hex(val));
    if (key == "str") {
      if (!val.is_string()) fail(VejErrc::not_an_entity, "\"str\" must be a JSON string");
      auto text = val.get<std::string>();
      if (!is_valid_utf8(text)) fail(VejErrc::bad_utf8, "\"str\" is not valid UTF-8");
      return Entity(String::trusted(std::move(text)));
    }
    if (key == "float") {
      if (!val.is_object() || !has_exactly(val, {"digits", "base", "exp"})) {
        fail(VejErrc::bad_float, "\"float\" must be {\"digits\",\"base\",\"exp\"}");
      }
      Float f{parse_integer(val["digits"], "float digits"), parse_integer(val["base"], "float base"),
              parse_integer(val["exp"], "float exp")};
      if (f.base < Integer(2)) fail(VejErrc::bad_float, "float base must be >= 2");
      return Entity(std::move(f));
    }
    if (key == "exception") return Entity(Exception{Tuple(parse_list(val, "\"exception\"", depth_left))});
    if (key == "local" || key == "remote") {
      const auto owner = key == "local" ? ObjectRef::Owner::sender : ObjectRef::Owner::receiver;
      return Entity(ObjectRef::raw(owner, parse_integer(val, "reference id")));
    }
  } else if (j.size() == 2) {
    if (has_exactly(j, {"str", "enc"})) {
      const auto& text_j = j["str"];
      const auto& enc_j = j["enc"];
      if (!text_j.is_string()) fail(VejErrc::not_an_entity, "\"str\" must be a JSON string");
      std::optional<StringCodec> codec;
      if (enc_j == "utf8") {
        codec = StringCodec::utf8;
      } else if (enc_j == "utf16") {
        codec = StringCodec::utf16;
      } else {
        fail(VejErrc::bad_codec, "\"enc\" must be \"utf8\" or \"utf16\", got " + enc_j.dump());
      }
      auto text = text_j.get<std::string>();
      if (!is_valid_utf8(text)) fail(VejErrc::bad_utf8, "\"str\" is not valid UTF-8");
      return Entity(String::trusted(std::move(text), codec));
    }
    if (has_exactly(j, {"tagged", "tags"})) {
      if (depth_left == 0) fail(VejErrc::too_deep, "VEJ nests too deeply");
      std::vector<Entity> parts;
      parts.push_back(parse(j["tagged"], depth_left - 1));
      auto tags = parse_list(j["tags"], "\"tags\"", depth_left);
      parts.insert(parts.end(), std::make_move_iterator(tags.begin()), std::make_move_iterator(tags.end()));
      return Entity(Tagged(Tuple(std::move(parts))));
    }
  }
  fail(VejErrc::not_an_entity, "not a VEJ object: " + j.dump());
}

std::vector<Entity> parse_list(const json& j, std::string_view what, std::size_t depth_left) {
  if (!j.is_array()) fail(VejErrc::not_an_entity, std::string(what) + " must be a JSON array");
  if (depth_left == 0) fail(VejErrc::too_deep, "VEJ nests too deeply");
  std::vector<Entity> items;
  items.reserve(j.size());
  for (const auto& item : j) items.push_back(parse(item, depth_left - 1));
  return items;
}

json ref_to_vej(ObjectRef::Owner owner, const Integer& id) {
  return json{{owner == ObjectRef::Owner::sender ? "local" : "remote", id.to_decimal()}};
}

json write(const Entity& e, const VejRefNamer* name_live);

json write_list(std::span<const Entity> items, const VejRefNamer* name_live) {
  json arr = json::array();
  for (const auto& item : items) arr.push_back(write(item, name_live));
  return arr;
}

json write(const Entity& e, const VejRefNamer* name_live) {
  return std::visit(
      [name_live](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, None>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, bool>) {
          return v;
        } else if constexpr (std::is_same_v<T, Integer>) {
          return json{{"int", v.to_decimal()}};
        } else if constexpr (std::is_same_v<T, Float>) {
          return json{{"float", json{{"digits", v.digits.to_decimal()},
                                     {"base", v.base.to_decimal()},
                                     {"exp", v.exp.to_decimal()}}}};
        } else if constexpr (std::is_same_v<T, Bytes>) {
          return json{{"bytes", to_hex(v.span())}};
        } else if constexpr (std::is_same_v<T, String>) {
          json out{{"str", v.str()}};
          if (const auto codec = v.explicit_codec()) {
            out["enc"] = *codec == StringCodec::utf8 ? "utf8" : "utf16";
          }
          return out;
        } else if constexpr (std::is_same_v<T, Tuple>) {
          return write_list(v.span(), name_live);
        } else if constexpr (std::is_same_v<T, Exception>) {
          return json{{"exception", write_list(v.args.span(), name_live)}};
        } else if constexpr (std::is_same_v<T, Tagged>) {
          return json{{"tagged", write(v.value(), name_live)}, {"tags", write_list(v.tags(), name_live)}};
        } else {
          static_assert(std::is_same_v<T, ObjectRef>);
          if (v.is_raw()) return ref_to_vej(v.raw_owner(), v.raw_id());
          if (name_live != nullptr && *name_live) {
            if (auto named = (*name_live)(v)) return ref_to_vej(named->owner, named->id);
          }
          fail(VejErrc::live_object, "a live object has no VEJ form without a link to name it");
        }
      },
      e.value());
}

}  // namespace

const char* vej_errc_name(VejErrc e) noexcept {
  switch (e) {
    case VejErrc::bad_json: return "bad_json";
    case VejErrc::not_an_entity: return "not_an_entity";
    case VejErrc::bad_integer: return "bad_integer";
    case VejErrc::bad_float: return "bad_float";
    case VejErrc::bad_hex: return "bad_hex";
    case VejErrc::bad_utf8: return "bad_utf8";
    case VejErrc::bad_codec: return "bad_codec";
    case VejErrc::too_deep: return "too_deep";
    case VejErrc::live_object: return "live_object";
  }
  return "unknown";
}

Entity from_vej(const nlohmann::json& vej, std::size_t max_depth) { return parse(vej, max_depth); }

Entity parse_vej(std::string_view text, std::size_t max_depth) {
  // nlohmann's parser is recursive too; reject absurd nesting before handing the text over.
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      // Each VEJ level is at most two JSON levels ({"tagged":[...]} / {"float":{...}}).
      if (++depth > 2 * max_depth + 2) fail(VejErrc::too_deep, "VEJ nests too deeply");
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    }
  }
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) fail(VejErrc::bad_json, "not valid JSON");
  return from_vej(j, max_depth);
}

nlohmann::json to_vej(const Entity& e) { return write(e, nullptr); }
nlohmann::json to_vej(const Entity& e, const VejRefNamer& name_live) { return write(e, &name_live); }

}  // namespace versile
