#include "compare.hpp"

#include <algorithm>
#include <sstream>

namespace vpstream::traces {
namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', true, json::error_handler_t::replace); }

// The msg_id of a VOL message VEJ ([{"int":id}, {"int":code}, payload]) or nullopt.
std::optional<std::pair<std::string, int>> message_header(const json& vej) {
  if (!vej.is_array() || vej.size() != 3) return std::nullopt;
  const auto& id = vej[0];
  const auto& code = vej[1];
  if (!id.is_object() || !id.contains("int") || !code.is_object() || !code.contains("int")) {
    return std::nullopt;
  }
  try {
    return std::make_pair(id["int"].get<std::string>(), std::stoi(code["int"].get<std::string>()));
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

const char* message_code_name(int code) noexcept {
  switch (code) {
    case 1: return "METHOD_CALL";
    case 2: return "METHOD_CALL_VOID_RESULT";
    case 3: return "METHOD_CALL_NO_RETURN";
    case 4: return "CALL_RESULT";
    case 5: return "CALL_EXCEPTION";
    case 6: return "CALL_ERROR";
    case 7: return "NOTIFY_DEREF";
    case 8: return "CONFIRM_DEREF";
    case 9: return "KEEP_ALIVE";
    default: return "UNKNOWN";
  }
}

Signatures signatures(const Trace& trace) {
  Signatures out;
  // First pass: the plain signature of every call, indexed by (direction, msg_id).
  std::map<std::pair<Direction, std::string>, std::string> call_signature;
  auto plain = [](const Unit& u) -> std::string {
    if (u.what == "handshake") return dump(json{{"what", u.what}, {"text", u.text.value_or("")}});
    if (!u.vej) return dump(json{{"what", u.what}, {"len", u.len}});
    if (u.index <= 2) return dump(*u.vej);  // hello and handshake object: literal
    auto header = message_header(*u.vej);
    if (!header) return dump(*u.vej);
    return dump(json::array({(*u.vej)[1], (*u.vej)[2]}));
  };
  for (const auto& u : trace.units) {
    if (u.index <= 2 || !u.vej) continue;
    if (auto h = message_header(*u.vej); h && h->second >= 1 && h->second <= 3) {
      call_signature[{u.from, h->first}] = plain(u);
    }
  }
  for (const auto& u : trace.units) {
    std::string sig = plain(u);
    if (u.index > 2 && u.vej) {
      if (auto h = message_header(*u.vej); h && h->second >= 4 && h->second <= 6) {
        const json& payload = (*u.vej)[2];
        const json* call_id = h->second == 6 ? &payload
                              : (payload.is_array() && !payload.empty()) ? &payload[0]
                                                                         : nullptr;
        if (call_id && call_id->is_object() && call_id->contains("int")) {
          auto it = call_signature.find({other(u.from), (*call_id)["int"].get<std::string>()});
          json answered = it != call_signature.end() ? json::parse(it->second)
                                                     : json{{"unknown_call", *call_id}};
          json normalized = payload;
          if (h->second == 6) {
            normalized = answered;
          } else {
            normalized[0] = answered;
          }
          sig = dump(json::array({(*u.vej)[1], normalized}));
        }
      }
    }
    out.by_unit[{u.from, u.index}] = sig;
    out.by_step[{u.from, u.step}].push_back(sig);
  }
  for (auto& [key, list] : out.by_step) std::ranges::sort(list);
  return out;
}

Comparison compare(const Trace& left, const Trace& right) {
  Comparison c;
  const auto ls = signatures(left);
  const auto rs = signatures(right);
  std::map<std::pair<Direction, int>, bool> keys;
  for (const auto& [k, v] : ls.by_step) keys[k] = true;
  for (const auto& [k, v] : rs.by_step) keys[k] = true;
  static const std::vector<std::string> empty;
  for (const auto& [key, unused] : keys) {
    auto li = ls.by_step.find(key);
    auto ri = rs.by_step.find(key);
    const auto& l = li == ls.by_step.end() ? empty : li->second;
    const auto& r = ri == rs.by_step.end() ? empty : ri->second;
    if (l == r) continue;
    StepDifference d{key.first, key.second, {}, {}};
    std::ranges::set_difference(l, r, std::back_inserter(d.only_left));
    std::ranges::set_difference(r, l, std::back_inserter(d.only_right));
    c.differences.push_back(std::move(d));
    c.equivalent = false;
  }
  if (left.step_labels() != right.step_labels()) {
    c.notes.push_back("step labels differ (" + std::to_string(left.step_count()) + " vs " +
                      std::to_string(right.step_count()) + " steps)");
  }
  return c;
}

std::string describe(const Comparison& c) {
  std::ostringstream os;
  os << (c.equivalent ? "equivalent" : "DIFFERENT") << '\n';
  for (const auto& n : c.notes) os << "note: " << n << '\n';
  for (const auto& d : c.differences) {
    os << "direction " << to_string(d.direction) << ", step " << d.step << ":\n";
    for (const auto& s : d.only_left) os << "  - " << s << '\n';
    for (const auto& s : d.only_right) os << "  + " << s << '\n';
  }
  return os.str();
}

}  // namespace vpstream::traces
