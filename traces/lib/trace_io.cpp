#include "trace_io.hpp"

#include <fstream>
#include <istream>
#include <ostream>
#include <string>

namespace vpstream::traces {
namespace {

using nlohmann::json;

Direction direction_of(const json& j, TraceErrc errc) {
  if (!j.is_string()) throw TraceError(errc, "'from' must be \"a\" or \"b\"");
  const auto s = j.get<std::string>();
  if (s == "a") return Direction::a;
  if (s == "b") return Direction::b;
  throw TraceError(errc, "'from' must be \"a\" or \"b\", got " + s);
}

template <class T>
T field(const json& j, const char* key, TraceErrc errc) {
  auto it = j.find(key);
  if (it == j.end()) throw TraceError(errc, std::string("missing field '") + key + "'");
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    throw TraceError(errc, std::string("field '") + key + "' has the wrong type");
  }
}

Event parse_event(const json& j, const std::string& kind) {
  Event e;
  e.seq = field<std::int64_t>(j, "seq", TraceErrc::bad_event);
  e.t = j.value("t", 0.0);
  if (kind == "raw") {
    e.kind = Event::Kind::raw;
    e.from = direction_of(j.value("from", json{}), TraceErrc::bad_event);
    auto bytes = from_hex(field<std::string>(j, "hex", TraceErrc::bad_event));
    if (!bytes) throw TraceError(TraceErrc::bad_hex, "raw chunk seq " + std::to_string(e.seq));
    e.bytes = std::move(*bytes);
  } else if (kind == "step") {
    e.kind = Event::Kind::step;
    e.step = field<int>(j, "n", TraceErrc::bad_event);
    e.label = j.value("label", std::string{});
    if (auto it = j.find("offsets"); it != j.end() && it->is_object()) {
      e.offset_a = it->value("a", std::size_t{0});
      e.offset_b = it->value("b", std::size_t{0});
    }
  } else if (kind == "eof") {
    e.kind = Event::Kind::eof;
    e.from = direction_of(j.value("from", json{}), TraceErrc::bad_event);
  } else if (kind == "error") {
    e.kind = Event::Kind::error;
    e.from = direction_of(j.value("from", json{}), TraceErrc::bad_event);
    e.label = j.value("what", std::string{});
  } else {
    e.kind = Event::Kind::unknown;
    e.extra = j;
  }
  return e;
}

Unit parse_unit(const json& j) {
  Unit u;
  u.from = direction_of(j.value("from", json{}), TraceErrc::bad_unit);
  u.index = field<std::size_t>(j, "index", TraceErrc::bad_unit);
  u.offset = field<std::size_t>(j, "offset", TraceErrc::bad_unit);
  u.len = field<std::size_t>(j, "len", TraceErrc::bad_unit);
  u.what = field<std::string>(j, "what", TraceErrc::bad_unit);
  if (auto it = j.find("text"); it != j.end() && it->is_string()) u.text = it->get<std::string>();
  if (auto it = j.find("vej"); it != j.end()) u.vej = *it;
  u.note = j.value("note", std::string{});
  u.step = j.value("step", 0);
  u.end_seq = j.value("end_seq", std::int64_t{0});
  return u;
}

}  // namespace

Trace read_trace(std::istream& in, const ReadLimits& limits) {
  Trace trace;
  std::string line;
  std::size_t lineno = 0;
  bool have_summary = false;
  while (std::getline(in, line)) {
    if (line.size() > limits.max_line_bytes || ++lineno > limits.max_lines) {
      throw TraceError(TraceErrc::too_large, "line " + std::to_string(lineno));
    }
    if (line.empty()) continue;
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      throw TraceError(TraceErrc::bad_json, "line " + std::to_string(lineno));
    }
    if (lineno == 1) {
      if (j.value("format", std::string{}) != "vp-trace/1") {
        throw TraceError(TraceErrc::bad_header, "format is not vp-trace/1");
      }
      trace.header = std::move(j);
      continue;
    }
    if (have_summary) throw TraceError(TraceErrc::no_summary, "lines after the summary");
    const auto kind = j.value("k", std::string{});
    if (kind == "unit") {
      trace.units.push_back(parse_unit(j));
    } else if (kind == "summary") {
      trace.summary = std::move(j);
      have_summary = true;
    } else {
      trace.events.push_back(parse_event(j, kind));
    }
  }
  if (lineno == 0) throw TraceError(TraceErrc::bad_header, "empty trace");
  if (!have_summary) throw TraceError(TraceErrc::no_summary, "no summary line");
  return trace;
}

Trace read_trace_file(const std::filesystem::path& path, const ReadLimits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TraceError(TraceErrc::io_error, path.string());
  return read_trace(in, limits);
}

namespace {
json event_json(const Event& e) {
  switch (e.kind) {
    case Event::Kind::raw:
      return {{"k", "raw"}, {"seq", e.seq}, {"t", e.t}, {"from", to_string(e.from)},
              {"hex", to_hex(e.bytes.data(), e.bytes.size())}};
    case Event::Kind::step:
      return {{"k", "step"}, {"seq", e.seq}, {"t", e.t}, {"n", e.step}, {"label", e.label},
              {"offsets", {{"a", e.offset_a}, {"b", e.offset_b}}}};
    case Event::Kind::eof:
      return {{"k", "eof"}, {"seq", e.seq}, {"t", e.t}, {"from", to_string(e.from)}};
    case Event::Kind::error:
      return {{"k", "error"}, {"seq", e.seq}, {"t", e.t}, {"from", to_string(e.from)},
              {"what", e.label}};
    case Event::Kind::unknown:
      return e.extra;
  }
  return e.extra;
}

json unit_json(const Unit& u) {
  json j = {{"k", "unit"}, {"from", to_string(u.from)}, {"index", u.index},
            {"offset", u.offset}, {"len", u.len}, {"what", u.what}};
  if (u.text) j["text"] = *u.text;
  if (u.vej) j["vej"] = *u.vej;
  j["note"] = u.note;
  j["step"] = u.step;
  j["end_seq"] = u.end_seq;
  return j;
}
}  // namespace

void write_trace(std::ostream& out, const Trace& trace) {
  // ensure_ascii keeps every line ASCII, as in the reference files.
  auto dump = [](const json& j) { return j.dump(-1, ' ', true, json::error_handler_t::replace); };
  out << dump(trace.header) << '\n';
  for (const auto& e : trace.events) out << dump(event_json(e)) << '\n';
  for (Direction d : {Direction::a, Direction::b}) {
    for (const Unit* u : trace.units_of(d)) out << dump(unit_json(*u)) << '\n';
  }
  out << dump(trace.summary.is_null() ? json{{"k", "summary"}} : trace.summary) << '\n';
}

void write_trace_file(const std::filesystem::path& path, const Trace& trace) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw TraceError(TraceErrc::io_error, path.string());
  write_trace(out, trace);
  if (!out) throw TraceError(TraceErrc::io_error, path.string());
}

}  // namespace vpstream::traces
