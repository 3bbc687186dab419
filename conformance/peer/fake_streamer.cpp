#include "peer/fake_streamer.hpp"

#include <algorithm>
#include <sstream>

#include "link/peer_object.hpp"

namespace vpstream::conformance {

namespace {
// The streamer methods of stream.md §5 (peer → streamer).
constexpr const char* kStreamerMethods[] = {"peer_connect",      "peer_read_start",   "peer_read_lim",
                                            "peer_write_start",  "peer_write_push",   "peer_trunc_before",
                                            "peer_trunc_after",  "peer_close",        "peer_fail"};

std::optional<std::int64_t> msg_id_of(const FakeStreamer::Call& c) {
  if (c.method == "peer_connect" || c.args.size() == 0) return std::nullopt;
  const auto* i = c.args[0].get_if<versile::Integer>();
  if (!i) return std::nullopt;
  return i->to_int64();
}
}  // namespace

FakeStreamer::FakeStreamer() : External("harness fake streamer (stream.md §5)") {
  for (const char* m : kStreamerMethods) {
    const std::string name = m;
    publish_deferred(name, [this, name](versile::DeferredCall& call) { record(name, call); });
  }
}

versile::Entity FakeStreamer::tag(Kind kind, std::int64_t mode) {
  return versile::Entity(versile::Tagged(versile::Entity(shared_from_this()),
                                         {versile::Entity(21), versile::Entity(2),
                                          versile::Entity(static_cast<std::int64_t>(kind)), versile::Entity(mode)}));
}

versile::Entity FakeStreamer::connect_result(std::int64_t mode, std::int64_t pos, std::int64_t call_lim,
                                             std::int64_t w_num, std::int64_t w_size) {
  return versile::Entity(versile::Tuple{versile::Entity(mode), versile::Entity(pos), versile::Entity(call_lim),
                                        versile::Entity(w_num), versile::Entity(w_size)});
}

void FakeStreamer::record(const std::string& method, versile::DeferredCall& call) {
  std::unique_lock l{mu_};
  calls_.push_back({method, call.args});
  if (method == "peer_connect") {
    if (call.args.size() > 0) {
      if (const auto* ref = call.args[0].get_if<versile::ObjectRef>()) {
        if (auto po = ref->as<versile::link::PeerObject>()) peer_ = versile::Proxy(po);
      }
    }
    cv_.notify_all();
    if (!connect_result_) {
      held_connects_.push_back(std::move(call.responder));
      return;
    }
    const versile::Entity result = *connect_result_;
    l.unlock();
    call.responder.result(result);
    return;
  }
  cv_.notify_all();
  l.unlock();
  call.responder.result(versile::Entity());
}

void FakeStreamer::answer_connect(versile::Entity result) {
  std::vector<versile::link::Responder> held;
  {
    std::scoped_lock l{mu_};
    connect_result_ = result;
    held.swap(held_connects_);
  }
  for (auto& r : held) r.result(result);
}

versile::Proxy FakeStreamer::peer() const {
  std::scoped_lock l{mu_};
  return peer_;
}

bool FakeStreamer::wait_connected(std::chrono::milliseconds timeout) const {
  std::unique_lock l{mu_};
  return cv_.wait_for(l, timeout, [&] { return peer_.valid(); });
}

std::int64_t FakeStreamer::take_id() {
  std::scoped_lock l{mu_};
  return next_id_++;
}

std::int64_t FakeStreamer::next_id() const {
  std::scoped_lock l{mu_};
  return next_id_;
}

std::vector<FakeStreamer::Call> FakeStreamer::calls() const {
  std::scoped_lock l{mu_};
  return calls_;
}

std::vector<FakeStreamer::Call> FakeStreamer::calls(const std::string& method) const {
  std::scoped_lock l{mu_};
  std::vector<Call> out;
  for (const auto& c : calls_) {
    if (c.method == method) out.push_back(c);
  }
  return out;
}

std::vector<std::string> FakeStreamer::sequenced() const {
  std::vector<Call> seq;
  for (auto& c : calls()) {
    if (c.method != "peer_connect") seq.push_back(std::move(c));
  }
  // Incoming calls are dispatched on a worker pool: the recording order is not the wire order.
  std::ranges::stable_sort(seq, [](const Call& a, const Call& b) {
    return msg_id_of(a).value_or(-1) < msg_id_of(b).value_or(-1);
  });
  std::vector<std::string> out;
  for (const auto& c : seq) out.push_back(render(c.method, c.args));
  return out;
}

bool FakeStreamer::wait_for(const std::function<bool(const std::vector<Call>&)>& pred,
                            std::chrono::milliseconds timeout) const {
  std::unique_lock l{mu_};
  return cv_.wait_for(l, timeout, [&] { return pred(calls_); });
}

bool FakeStreamer::wait_count(const std::string& method, std::size_t n, std::chrono::milliseconds timeout) const {
  return wait_for(
      [&](const std::vector<Call>& cs) {
        return static_cast<std::size_t>(std::ranges::count_if(cs, [&](const Call& c) { return c.method == method; })) >= n;
      },
      timeout);
}

bool FakeStreamer::wait_sequenced(std::size_t n, std::chrono::milliseconds timeout) const {
  return wait_for(
      [&](const std::vector<Call>& cs) {
        return static_cast<std::size_t>(std::ranges::count_if(cs, [](const Call& c) { return c.method != "peer_connect"; })) >= n;
      },
      timeout);
}

std::string FakeStreamer::render(const versile::Entity& e) {
  std::ostringstream os;
  if (e.is_none()) {
    os << "null";
  } else if (const bool* b = e.get_if<bool>()) {
    os << (*b ? "true" : "false");
  } else if (const auto* i = e.get_if<versile::Integer>()) {
    os << i->to_decimal();
  } else if (const auto* by = e.get_if<versile::Bytes>()) {
    os << "b'" << by->view() << "'";
  } else if (const auto* s = e.get_if<versile::String>()) {
    os << '"' << s->str() << '"';
  } else if (const auto* t = e.get_if<versile::Tuple>()) {
    os << '[';
    for (std::size_t k = 0; k < t->size(); ++k) os << (k ? ", " : "") << render((*t)[k]);
    os << ']';
  } else if (e.is<versile::ObjectRef>()) {
    os << "<ref>";
  } else {
    os << e;
  }
  return os.str();
}

std::string FakeStreamer::render(const std::string& method, const versile::Tuple& args) {
  std::string out = method + "(";
  for (std::size_t k = 0; k < args.size(); ++k) out += (k ? ", " : "") + render(args[k]);
  return out + ")";
}

}  // namespace vpstream::conformance
