#include "link/link_core.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <unordered_map>
#include <utility>

#include "codec/decoder.hpp"
#include "codec/encoder.hpp"
#include "codec/error.hpp"
#include "codec/vec_channel.hpp"
#include "link/core_state.hpp"

namespace versile::link {

using namespace std::chrono;

const char* to_string(LinkStatus s) noexcept {
  switch (s) {
    case LinkStatus::initial: return "initial";
    case LinkStatus::handshaking: return "handshaking";
    case LinkStatus::running: return "running";
    case LinkStatus::closing: return "closing";
    case LinkStatus::closed: return "closed";
  }
  return "unknown";
}

namespace {

// Our handshake object (§4.4): calls on it are handled inside the core, never dispatched.
class HandshakeObject final : public Object {};
// The gateway used when LinkConfig::gateway is null: answers everything with CALL_ERROR.
class PlainGateway final : public Object {};

// A no-op back channel for cores driven without one (PeerObject identity still needs a
// unique channel pointer).
class NullBackChannel final : public LinkBackChannel {
 public:
  void peer_object_released(std::uint64_t, std::uint64_t) noexcept override {}
  void incoming_call_completed(std::uint64_t, CallMode, CallOutcome) noexcept override {}
};

std::optional<std::uint64_t> positive_id(const Integer& i) {
  auto v = i.to_uint64();
  if (!v || *v == 0) return std::nullopt;
  return v;
}

bool starts_with_ci(const std::string& s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

bool is_int(const Entity& e, std::int64_t v) {
  const auto* i = e.get_if<Integer>();
  return i && i->to_int64() == v;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Construction, attachment

LinkCore::LinkCore(LinkConfig config, LinkCoreEvents& events)
    : s_(std::make_unique<State>(std::move(config), events)) {
  s_->own_hs = std::make_shared<HandshakeObject>();
  s_->gateway = s_->cfg.gateway ? s_->cfg.gateway : std::make_shared<PlainGateway>();
}

LinkCore::~LinkCore() = default;

void LinkCore::attach(std::weak_ptr<LinkBackChannel> channel, std::weak_ptr<Link> link) {
  s_->channel_id = channel.lock().get();
  s_->channel = std::move(channel);
  s_->link = std::move(link);
}

LinkCore::State::State(LinkConfig c, LinkCoreEvents& e) : cfg(std::move(c)), ev(e) {}

// ---------------------------------------------------------------------------------------------
// Step bookkeeping: callbacks are deferred to the end of the outermost entry point

LinkCore::State::Step::Step(State& st) : s(st) { ++s.depth; }
LinkCore::State::Step::~Step() {
  if (s.depth > 1) {
    --s.depth;
    return;
  }
  // Outermost: run deferred callbacks (they may re-enter call()/shutdown(), which queue more).
  while (!s.deferred.empty()) {
    auto fn = std::move(s.deferred.front());
    s.deferred.pop_front();
    fn();
  }
  s.update_timer();
  bool notify = s.output_notify && s.status != LinkStatus::closed;
  s.output_notify = false;
  --s.depth;
  if (notify) s.ev.output_ready();
}

void LinkCore::State::defer(std::function<void()> fn) { deferred.push_back(std::move(fn)); }

// ---------------------------------------------------------------------------------------------
// Output

void LinkCore::State::queue_output(codec::OutputBuffer buf) {
  if (buf.empty()) return;
  output_total += buf.size();
  output.push_back(std::move(buf));
  output_notify = true;
}

void LinkCore::State::queue_bytes(std::span<const std::uint8_t> bytes) {
  codec::OutputBuffer buf;
  buf.append_copy(bytes);
  queue_output(std::move(buf));
}

std::error_code LinkCore::State::encode_entity(const Entity& e, codec::OutputBuffer& out) {
  journal.clear();
  journaling = true;
  codec::EncodeOptions opts;
  opts.channel_codec = cfg.vec_codec;
  opts.refs = resolver;
  auto ec = codec::encode(e, out, opts);
  journaling = false;
  if (ec) {
    // Undo the send counts of references already written (§7.2: count == copies enqueued).
    for (auto it = journal.rbegin(); it != journal.rend(); ++it) {
      auto found = local.find(it->id);
      if (found == local.end()) continue;
      if (--found->second.send_count == 0 && it->was_new) {
        local_ids.erase(found->second.object.get());
        local.erase(found);
      }
    }
  }
  journal.clear();
  return ec;
}

std::error_code LinkCore::State::send_raw_entity(const Entity& e) {
  codec::OutputBuffer buf;
  if (auto ec = encode_entity(e, buf)) return ec;
  queue_output(std::move(buf));
  return {};
}

std::error_code LinkCore::State::send_message(MessageCode code, Entity payload,
                                              std::uint64_t* used_id) {
  std::uint64_t id = msg_id_override ? *msg_id_override : next_msg_id;
  Tuple envelope{Entity(Integer(id)), Entity(static_cast<int>(code)), std::move(payload)};
  codec::OutputBuffer buf;
  if (auto ec = encode_entity(Entity(std::move(envelope)), buf)) return ec;
  // Only a message that is really queued consumes its id: ids stay consecutive (§5.1).
  msg_id_override.reset();
  next_msg_id = id + 1;
  if (used_id) *used_id = id;
  ++stats.messages_sent;
  last_sent = cfg.clock();
  queue_output(std::move(buf));
  return {};
}

std::vector<codec::OutputBuffer::Chunk> LinkCore::output_chunks() {
  std::vector<codec::OutputBuffer::Chunk> out;
  std::size_t skip = s_->output_front_offset;
  for (const auto& buf : s_->output) {
    for (const auto& c : buf.chunks()) {
      if (skip >= c.size) {
        skip -= c.size;
        continue;
      }
      out.push_back({c.data + skip, c.size - skip});
      skip = 0;
    }
  }
  return out;
}

void LinkCore::consume_output(std::size_t n) {
  State::Step step(*s_);
  n = std::min(n, s_->output_total);
  s_->output_total -= n;
  std::size_t offset = s_->output_front_offset + n;
  while (!s_->output.empty() && offset >= s_->output.front().size()) {
    offset -= s_->output.front().size();
    s_->output.pop_front();
  }
  s_->output_front_offset = s_->output.empty() ? 0 : offset;
  s_->check_drained();
}

std::size_t LinkCore::output_size() const noexcept { return s_->output_total; }

// ---------------------------------------------------------------------------------------------
// Start and handshake

void LinkCore::start() {
  State::Step step(*s_);
  if (s_->status != LinkStatus::initial) return;
  if (s_->channel.expired()) {
    s_->null_channel = std::make_shared<NullBackChannel>();
    s_->channel = s_->null_channel;
    s_->channel_id = s_->null_channel.get();
  }
  s_->resolver = this;
  s_->status = LinkStatus::handshaking;
  if (s_->cfg.handshake_timeout) {
    s_->handshake_deadline = s_->cfg.clock() + *s_->cfg.handshake_timeout;
  }
  std::string line =
      s_->faults.vec_line ? *s_->faults.vec_line : codec::vec_hello_line(s_->cfg.vec_codec);
  s_->queue_bytes({reinterpret_cast<const std::uint8_t*>(line.data()), line.size()});
}

Entity LinkCore::State::own_hello() const {
  Entity licence_part;
  if (cfg.copyleft) {
    licence_part = Tuple{Entity(true), Entity(String(cfg.licence)), Entity(String(cfg.url))};
  } else {
    licence_part = Tuple{Entity(false), Entity(), Entity()};
  }
  return Tuple{Entity(Bytes(std::string_view("VOL_DRAFT"))), licence_part,
               Entity(Tuple{Entity(0), Entity(8)})};
}

void LinkCore::State::send_hello() {
  if (auto ec = send_raw_entity(faults.hello ? *faults.hello : own_hello())) fail(ec);
}

bool LinkCore::State::validate_hello(const Entity& e) {
  const auto* t = e.get_if<Tuple>();
  if (!t || t->size() != 3) return false;
  const auto* proto = (*t)[0].get_if<Bytes>();
  if (!proto || proto->view() != "VOL_DRAFT") return false;
  const auto* lic = (*t)[1].get_if<Tuple>();
  if (!lic || lic->size() != 3) return false;
  const auto* copyleft = (*lic)[0].get_if<bool>();
  if (!copyleft) return false;
  if (*copyleft) {
    const auto* name = (*lic)[1].get_if<String>();
    const auto* url = (*lic)[2].get_if<String>();
    if (!name || !url) return false;
    if (!starts_with_ci(url->str(), "http://") && !starts_with_ci(url->str(), "https://") &&
        !starts_with_ci(url->str(), "vop://")) {
      return false;
    }
    peer_hello.copyleft = true;
    peer_hello.licence = name->str();
    peer_hello.url = url->str();
  } else {
    if (!(*lic)[1].is_none() || !(*lic)[2].is_none()) return false;
    peer_hello.copyleft = false;
  }
  const auto* version = (*t)[2].get_if<Tuple>();
  if (!version || version->size() != 2 || !is_int((*version)[0], 0) || !is_int((*version)[1], 8)) {
    return false;
  }
  return true;
}

void LinkCore::State::on_peer_hello(const Entity& e) {
  if (!validate_hello(e)) return fail(Errc::bad_hello);
  if (cfg.authorize) {
    bool ok = false;
    try {
      ok = cfg.authorize(peer_hello);
    } catch (...) {
      ok = false;
    }
    if (!ok) return fail(Errc::unauthorized);
  }
  hello_accepted = true;
  in_phase = InPhase::handshake_object;
  // The decoder for everything after the hello resolves references through the id tables.
  codec::DecodeOptions opts;
  opts.limits = cfg.limits;
  opts.peer_codec = peer_hello.vec_codec;
  opts.refs = resolver;
  decoder.emplace(opts);
  if (!faults.send_handshake_object) return;
  Entity hs = faults.handshake_object ? *faults.handshake_object : Entity(own_hs);
  if (auto ec = send_raw_entity(hs)) fail(ec);
}

void LinkCore::State::on_peer_handshake_object(const Entity& e) {
  const auto* ref = e.get_if<ObjectRef>();
  auto peer = ref ? ref->as<PeerObject>() : nullptr;
  if (!peer || !peer->belongs_to(channel_id)) return fail(Errc::bad_handshake_object);
  peer_hs = std::move(peer);
  in_phase = InPhase::messages;
  if (cfg.keep_alive_request) {
    auto req = static_cast<std::int64_t>(cfg.keep_alive_request->count());
    send_internal_call(Internal::keep_alive, Tuple{Entity("keep_alive"), Entity(req)});
  } else {
    ready_to_finish();
  }
}

void LinkCore::State::ready_to_finish() {
  can_finish = true;
  if (deferred_finish) {
    Integer id = *deferred_finish;
    deferred_finish.reset();
    answer_finish(id);
  }
  if (status != LinkStatus::handshaking) return;
  if (faults.call_peer_finish) send_internal_call(Internal::finish, Tuple{Entity("finish")});
}

void LinkCore::State::answer_finish(const Integer& call_id) {
  if (!faults.answer_finish) return;
  if (auto ec = send_message(MessageCode::call_result, Tuple{Entity(call_id), Entity(gateway)})) {
    return fail(ec);
  }
  finish_answered = true;
  check_handshake_complete();
}

void LinkCore::State::send_internal_call(Internal kind, Tuple args) {
  if (!peer_hs) return fail(Errc::handshake_violation);
  std::uint64_t id = 0;
  if (auto ec = send_message(MessageCode::method_call, Tuple{Entity(peer_hs), Entity(std::move(args))},
                             &id)) {
    return fail(ec);
  }
  pending_out.emplace(id, PendingCall{CallMode::normal, kind, {}});
}

void LinkCore::State::on_internal_reply(Internal kind, const CallOutcome& outcome) {
  if (kind == Internal::keep_alive) {
    const auto* granted = outcome.is_result() ? outcome.value().get_if<Integer>() : nullptr;
    auto g = granted ? granted->to_int64() : std::nullopt;
    if (!g || *g < cfg.keep_alive_request->count()) return fail(Errc::keep_alive_refused);
    keep_alive_receive = milliseconds(*g);
    ready_to_finish();
    return;
  }
  // finish(): the result is the peer gateway (§4.6).
  const auto* ref = outcome.is_result() ? outcome.value().get_if<ObjectRef>() : nullptr;
  auto gw = ref ? ref->as<PeerObject>() : nullptr;
  if (!gw || !gw->belongs_to(channel_id)) return fail(Errc::bad_gateway);
  peer_gateway = gw;
  finish_returned = true;
  if (faults.drop_peer_handshake_object) peer_hs.reset();
  defer([this, gw] { ev.peer_gateway_received(gw); });
  check_handshake_complete();
}

void LinkCore::State::check_handshake_complete() {
  if (status != LinkStatus::handshaking || !finish_returned || !finish_answered) return;
  status = LinkStatus::running;
  handshake_deadline.reset();
  auto now = cfg.clock();
  last_sent = now;
  last_received = now;
  defer([this] { ev.handshake_complete(); });
}

void LinkCore::State::on_handshake_object_call(const Integer& call_id, CallMode mode,
                                               const Tuple& args) {
  // Anything but a well-formed finish()/keep_alive() kills the link (§4.4, like Py).
  if (mode != CallMode::normal || args.empty()) return fail(Errc::handshake_violation);
  const auto* name = args[0].get_if<String>();
  if (!name) return fail(Errc::handshake_violation);
  if (name->str() == "finish" && args.size() == 1) {
    if (peer_called_finish) return fail(Errc::handshake_violation);
    peer_called_finish = true;
    if (can_finish) {
      answer_finish(call_id);
    } else {
      deferred_finish = call_id;
    }
    return;
  }
  if (name->str() == "keep_alive" && args.size() == 2) {
    if (peer_called_keep_alive || peer_called_finish) return fail(Errc::handshake_violation);
    const auto* req = args[1].get_if<Integer>();
    auto ms = req ? req->to_int64() : std::nullopt;
    if (!ms || *ms <= 0) return fail(Errc::handshake_violation);
    peer_called_keep_alive = true;
    auto granted = std::max<std::int64_t>(*ms, cfg.keep_alive_min_send.count());
    keep_alive_send = milliseconds(granted);
    if (auto ec = send_message(MessageCode::call_result, Tuple{Entity(call_id), Entity(granted)})) {
      fail(ec);
    }
    return;
  }
  fail(Errc::handshake_violation);
}

// ---------------------------------------------------------------------------------------------
// Input

void LinkCore::receive(std::span<const std::uint8_t> bytes) {
  State::Step step(*s_);
  s_->process_input(bytes);
}

void LinkCore::State::process_input(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty() && (status == LinkStatus::handshaking || status == LinkStatus::running) &&
         in_phase != InPhase::stopped) {
    if (in_phase == InPhase::vec_line) {
      auto r = vec_parser.feed(bytes);
      bytes = bytes.subspan(r.consumed);
      if (r.status == codec::VecHelloParser::Status::error) {
        return fail(r.error ? r.error : make_error_code(codec::Errc::bad_vec_header));
      }
      if (r.status == codec::VecHelloParser::Status::need_more) {
        vec_line_bytes += r.consumed;
        if (vec_line_bytes >= cfg.max_vec_line) return fail(codec::Errc::bad_vec_header);
        continue;
      }
      peer_hello.vec_codec = vec_parser.peer_codec();
      in_phase = InPhase::hello;
      codec::DecodeOptions opts;
      opts.limits = cfg.limits;
      opts.peer_codec = peer_hello.vec_codec;
      opts.refs = nullptr;
      opts.allow_raw_references = false;  // a hello never carries references
      decoder.emplace(opts);
      send_hello();
      continue;
    }
    auto r = decoder->feed(bytes);
    bytes = bytes.subspan(r.consumed);
    if (!after_decode(r)) return;
  }
}

bool LinkCore::State::accepts_input() const noexcept {
  return (status == LinkStatus::handshaking || status == LinkStatus::running) &&
         in_phase != InPhase::stopped;
}

bool LinkCore::State::after_decode(const codec::Decoder::Result& r) {
  if (r.status == codec::Decoder::Status::error) {
    fail(in_phase == InPhase::hello && r.error == codec::Errc::references_unsupported
             ? make_error_code(Errc::bad_hello)
             : r.error);
    return false;
  }
  if (r.status == codec::Decoder::Status::need_more) return true;
  Entity e = decoder->take();
  switch (in_phase) {
    case InPhase::hello: on_peer_hello(e); break;
    case InPhase::handshake_object: on_peer_handshake_object(e); break;
    case InPhase::messages: on_message(e); break;
    default: break;
  }
  return true;
}

codec::Decoder::DirectInput LinkCore::direct_input(std::size_t min_size) {
  State& s = *s_;
  if (!s.accepts_input() || s.in_phase == State::InPhase::vec_line || !s.decoder) return {};
  return s.decoder->direct_input(min_size);
}

void LinkCore::receive_direct(const std::uint8_t* window_start, std::size_t n) {
  State::Step step(*s_);
  State& s = *s_;
  if (!s.accepts_input() || s.in_phase == State::InPhase::vec_line || !s.decoder) return;
  s.after_decode(s.decoder->commit_direct(window_start, n));
}

void LinkCore::receive_eof() {
  State::Step step(*s_);
  auto& s = *s_;
  if (s.status != LinkStatus::handshaking && s.status != LinkStatus::running) {
    // Closing: the peer's FIN after ours; nothing more will arrive.
    s.eof_received = true;
    s.check_drained();
    return;
  }
  s.eof_received = true;
  bool mid_entity = (s.in_phase == State::InPhase::vec_line && s.vec_line_bytes > 0) ||
                    (s.decoder && s.decoder->bytes_in_progress() > 0);
  if (mid_entity) return s.fail(codec::Errc::truncated);
  if (s.status == LinkStatus::handshaking) return s.fail(Errc::peer_eof);
  s.begin_graceful(Errc::peer_eof);
}

void LinkCore::receive_transport_error(std::error_code error) {
  State::Step step(*s_);
  s_->fail(error ? error : make_error_code(Errc::transport_error));
}

void LinkCore::State::on_message(const Entity& e) {
  const auto* t = e.get_if<Tuple>();
  if (!t || t->size() != 3) return fail(Errc::malformed_message);
  const auto* msg_id = (*t)[0].get_if<Integer>();
  const auto* code_i = (*t)[1].get_if<Integer>();
  if (!msg_id || !code_i) return fail(Errc::malformed_message);
  auto code = code_i->to_int64();
  if (!code || *code < 1 || *code > 9) return fail(Errc::unknown_message_code);

  ++stats.messages_received;
  auto id64 = msg_id->to_uint64();
  if (!id64 || *id64 != last_received_msg_id + 1) ++stats.msg_id_gaps;
  if (id64) last_received_msg_id = *id64;
  last_received = cfg.clock();

  const Entity& payload = (*t)[2];
  switch (static_cast<MessageCode>(*code)) {
    case MessageCode::method_call:
    case MessageCode::method_call_void_result:
    case MessageCode::method_call_no_return:
      return on_call(*msg_id, static_cast<CallMode>(*code), payload);
    case MessageCode::call_result:
    case MessageCode::call_exception: {
      const auto* p = payload.get_if<Tuple>();
      if (!p || p->size() != 2 || !(*p)[0].is<Integer>()) return fail(Errc::malformed_message);
      auto outcome = *code == 4 ? CallOutcome::result((*p)[1]) : CallOutcome::exception((*p)[1]);
      return on_reply((*p)[0].get<Integer>(), std::move(outcome));
    }
    case MessageCode::call_error: {
      const auto* id = payload.get_if<Integer>();
      if (!id) return fail(Errc::malformed_message);
      return on_reply(*id, CallOutcome::failure(Errc::call_error));
    }
    case MessageCode::notify_deref: {
      const auto* p = payload.get_if<Tuple>();
      if (!p || p->size() != 2 || !(*p)[0].is<Integer>() || !(*p)[1].is<Integer>()) {
        return fail(Errc::malformed_message);
      }
      return on_notify_deref((*p)[0].get<Integer>(), (*p)[1].get<Integer>());
    }
    case MessageCode::confirm_deref: {
      const auto* id = payload.get_if<Integer>();
      if (!id) return fail(Errc::malformed_message);
      return on_confirm_deref(*id);
    }
    case MessageCode::keep_alive:
      if (!payload.is_none()) return fail(Errc::bad_keep_alive);
      return on_keep_alive();
  }
}

void LinkCore::State::on_call(const Integer& call_id, CallMode mode, const Entity& payload) {
  const auto* p = payload.get_if<Tuple>();
  if (!p || p->size() != 2) return fail(Errc::malformed_message);
  const auto* ref = (*p)[0].get_if<ObjectRef>();
  if (!ref) return fail(Errc::malformed_message);
  const auto* args = (*p)[1].get_if<Tuple>();
  if (!args) return fail(Errc::malformed_message);
  const auto& target = ref->object();
  // The decoder only yields our own objects for fd; a PeerObject means the sender named
  // one of its own objects (fc) as the target (§5.3).
  if (!target || std::dynamic_pointer_cast<PeerObject>(target)) {
    return fail(Errc::call_target_not_local);
  }
  if (target == own_hs) return on_handshake_object_call(call_id, mode, *args);
  if (pending_in.size() >= cfg.max_pending_incoming_calls) {
    return fail(Errc::too_many_pending_calls);
  }
  auto callee = std::dynamic_pointer_cast<CallTarget>(target);
  if (!callee) {
    // Not callable (e.g. the plain default gateway): CALL_ERROR, nothing for NO_RETURN (§6.1).
    if (mode != CallMode::no_return) {
      if (auto ec = send_message(MessageCode::call_error, Entity(call_id))) fail(ec);
    }
    return;
  }
  std::uint64_t ticket = next_ticket++;
  pending_in.emplace(ticket, call_id);
  CallRequest req;
  req.args = *args;
  req.mode = mode;
  req.call_id = call_id.to_uint64().value_or(0);
  req.responder = Responder(channel, ticket, mode);
  req.link = link;
  defer([this, callee = std::move(callee), req = std::make_shared<CallRequest>(std::move(req))] {
    ev.incoming_call(callee, std::move(*req));
  });
}

void LinkCore::State::on_reply(const Integer& call_id, CallOutcome outcome) {
  auto id = call_id.to_uint64();
  auto it = id ? pending_out.find(*id) : pending_out.end();
  if (it == pending_out.end()) {
    ++stats.ignored_replies;  // unknown or finished call: ignore (§5.3)
    return;
  }
  PendingCall call = std::move(it->second);
  pending_out.erase(it);
  if (call.internal != Internal::none) return on_internal_reply(call.internal, outcome);
  if (call.done) {
    defer([done = std::move(call.done), outcome = std::move(outcome)]() mutable {
      done(std::move(outcome));
    });
  }
}

void LinkCore::State::on_notify_deref(const Integer& obj_id, const Integer& recv_count) {
  auto id = positive_id(obj_id);
  auto it = id ? local.find(*id) : local.end();
  auto count = recv_count.to_uint64();
  if (it == local.end() || !count || it->second.send_count != *count) {
    ++stats.ignored_derefs;  // copies still in flight, or nothing to do (§7.3)
    return;
  }
  local_ids.erase(it->second.object.get());
  local.erase(it);
  if (auto ec = send_message(MessageCode::confirm_deref, Entity(Integer(*id)))) return fail(ec);
  check_gc_shutdown();
}

void LinkCore::State::on_confirm_deref(const Integer& obj_id) {
  auto id = positive_id(obj_id);
  if (!id || peers.erase(*id) == 0) {
    ++stats.ignored_derefs;
    return;
  }
  check_gc_shutdown();
}

void LinkCore::State::on_keep_alive() {
  ++stats.keep_alives_received;
  auto now = cfg.clock();
  if (have_last_keep_alive) {
    keep_alive_intervals.push_back(duration_cast<milliseconds>(now - last_keep_alive));
    if (keep_alive_intervals.size() > 5) keep_alive_intervals.pop_front();
  }
  have_last_keep_alive = true;
  last_keep_alive = now;
  if (keep_alive_receive && keep_alive_intervals.size() == 5) {
    std::vector<milliseconds> sorted(keep_alive_intervals.begin(), keep_alive_intervals.end());
    std::sort(sorted.begin(), sorted.end());
    auto median = sorted[2];
    if (median.count() <
        static_cast<double>(keep_alive_receive->count()) * cfg.keep_alive_spam_factor) {
      fail(Errc::keep_alive_spam);
    }
  }
}

void LinkCore::State::check_gc_shutdown() {
  // §7.5; only once running, so transient states of the handshake never close the link.
  if (status == LinkStatus::running && local.empty() && peers.empty()) begin_graceful({});
}

// ---------------------------------------------------------------------------------------------
// Timers

void LinkCore::on_timer(time_point now) {
  State::Step step(*s_);
  auto& s = *s_;
  if (s.status == LinkStatus::handshaking && s.handshake_deadline && now >= *s.handshake_deadline) {
    return s.fail(Errc::handshake_timeout);
  }
  if (s.status != LinkStatus::running) return;
  if (s.keep_alive_receive) {
    auto limit = duration_cast<steady_clock::duration>(
        duration<double, std::milli>(s.keep_alive_receive->count() * s.cfg.keep_alive_expire_factor));
    if (now - s.last_received >= limit) return s.fail(Errc::keep_alive_expired);
  }
  if (s.keep_alive_send && now - s.last_sent >= *s.keep_alive_send) {
    if (auto ec = s.send_message(MessageCode::keep_alive, Entity())) return s.fail(ec);
    ++s.stats.keep_alives_sent;
  }
}

std::optional<LinkCore::time_point> LinkCore::State::next_deadline() const {
  std::optional<time_point> t;
  auto consider = [&t](time_point x) {
    if (!t || x < *t) t = x;
  };
  if (status == LinkStatus::handshaking && handshake_deadline) consider(*handshake_deadline);
  if (status == LinkStatus::running) {
    if (keep_alive_send) consider(last_sent + *keep_alive_send);
    if (keep_alive_receive) {
      consider(last_received + duration_cast<steady_clock::duration>(duration<double, std::milli>(
                                   keep_alive_receive->count() * cfg.keep_alive_expire_factor)));
    }
  }
  return t;
}

void LinkCore::State::update_timer() {
  auto t = next_deadline().value_or(time_point::max());
  if (status == LinkStatus::closed) t = time_point::max();
  if (t == timer_requested) return;
  timer_requested = t;
  ev.timer_wanted(t);
}

// ---------------------------------------------------------------------------------------------
// Outgoing calls

std::uint64_t LinkCore::call(const std::shared_ptr<PeerObject>& target, Tuple args, CallMode mode,
                             CallCompletion done) {
  State::Step step(*s_);
  auto& s = *s_;
  auto fail_now = [&](std::error_code ec) {
    if (done) done(CallOutcome::failure(ec));
    return std::uint64_t{0};
  };
  if (s.status != LinkStatus::handshaking && s.status != LinkStatus::running) {
    return fail_now(s.close_error ? s.close_error : make_error_code(Errc::link_closed));
  }
  if (!target) return fail_now(Errc::wrong_link);
  if (!target->belongs_to(s.channel_id)) return fail_now(Errc::wrong_link);
  auto code = static_cast<MessageCode>(static_cast<std::uint8_t>(mode));
  std::uint64_t id = 0;
  if (auto ec = s.send_message(code, Tuple{Entity(std::static_pointer_cast<Object>(target)),
                                           Entity(std::move(args))},
                               &id)) {
    return fail_now(ec);
  }
  if (mode == CallMode::no_return) {
    if (done) s.defer([done = std::move(done)] { done(CallOutcome::result(Entity())); });
  } else {
    s.pending_out.emplace(id, State::PendingCall{mode, State::Internal::none, std::move(done)});
  }
  return id;
}

void LinkCore::complete_incoming_call(std::uint64_t ticket, CallMode mode, CallOutcome outcome) {
  State::Step step(*s_);
  auto& s = *s_;
  auto it = s.pending_in.find(ticket);
  if (it == s.pending_in.end()) return;
  Integer call_id = it->second;
  s.pending_in.erase(it);
  if (s.status == LinkStatus::closed) return;
  if (mode != CallMode::no_return) {
    std::error_code ec;
    if (outcome.is_result()) {
      Entity value = mode == CallMode::void_result ? Entity() : std::move(outcome.value());
      ec = s.send_message(MessageCode::call_result, Tuple{Entity(call_id), std::move(value)});
    } else if (outcome.is_exception()) {
      ec = s.send_message(MessageCode::call_exception,
                          Tuple{Entity(call_id), std::move(outcome.value())});
    } else {
      ec = std::make_error_code(std::errc::operation_canceled);  // → CALL_ERROR below
    }
    // A value that cannot be encoded becomes CALL_ERROR (§6.4).
    if (ec) {
      if (auto ec2 = s.send_message(MessageCode::call_error, Entity(call_id))) return s.fail(ec2);
    }
  }
  s.check_drained();
}

// ---------------------------------------------------------------------------------------------
// Dereference

void LinkCore::peer_object_released(std::uint64_t id, std::uint64_t generation) {
  State::Step step(*s_);
  auto& s = *s_;
  if (s.status != LinkStatus::handshaking && s.status != LinkStatus::running) return;
  auto it = s.peers.find(id);
  if (it == s.peers.end() || it->second.generation != generation || !it->second.handle.expired()) {
    return;  // a newer handle exists (re-received while the release was in flight)
  }
  // Keep the entry until CONFIRM_DEREF (§7.3).
  if (auto ec = s.send_message(MessageCode::notify_deref,
                               Tuple{Entity(Integer(id)), Entity(Integer(it->second.recv_count))})) {
    s.fail(ec);
  }
}

std::error_code LinkCore::encode_ref(const ObjectRef& ref, codec::WireRef& out) {
  auto& s = *s_;
  if (ref.is_raw()) {
    out = {ref.raw_owner(), ref.raw_id()};
    return {};
  }
  const auto& obj = ref.object();
  if (auto peer = std::dynamic_pointer_cast<PeerObject>(obj); peer && peer->belongs_to(s.channel_id)) {
    out = {ObjectRef::Owner::receiver, Integer(peer->id())};
    return {};
  }
  auto found = s.local_ids.find(obj.get());
  std::uint64_t id;
  bool was_new = false;
  if (found == s.local_ids.end()) {
    if (s.local.size() >= s.cfg.max_local_objects) return Errc::too_many_objects;
    id = s.next_local_id++;
    s.local.emplace(id, State::LocalEntry{obj, 0});
    s.local_ids.emplace(obj.get(), id);
    was_new = true;
  } else {
    id = found->second;
  }
  ++s.local[id].send_count;
  if (s.journaling) s.journal.push_back({id, was_new});
  out = {ObjectRef::Owner::sender, Integer(id)};
  return {};
}

std::error_code LinkCore::decode_ref(const codec::WireRef& ref, ObjectRef& out) {
  auto& s = *s_;
  auto id = positive_id(ref.id);
  if (ref.owner == ObjectRef::Owner::receiver) {
    auto it = id ? s.local.find(*id) : s.local.end();
    if (it == s.local.end()) return codec::Errc::unknown_remote_id;
    out = ObjectRef(it->second.object);
    return {};
  }
  if (!id) return Errc::malformed_message;
  auto it = s.peers.find(*id);
  if (it == s.peers.end()) {
    if (s.peers.size() >= s.cfg.max_peer_objects) return Errc::too_many_objects;
    it = s.peers.emplace(*id, State::PeerEntry{}).first;
  }
  auto handle = it->second.handle.lock();
  if (!handle) {
    // A new handle; the count continues from the old value (§7.2).
    it->second.generation = s.next_generation++;
    handle = std::shared_ptr<PeerObject>(new PeerObject(s.channel, *id, it->second.generation));
    it->second.handle = handle;
  }
  ++it->second.recv_count;
  out = ObjectRef(std::static_pointer_cast<Object>(handle));
  return {};
}

// ---------------------------------------------------------------------------------------------
// Shutdown

void LinkCore::shutdown(bool force) {
  State::Step step(*s_);
  auto& s = *s_;
  if (s.status == LinkStatus::closed) return;
  if (force || s.status == LinkStatus::initial || s.status == LinkStatus::handshaking) {
    return s.fail(Errc::link_aborted);
  }
  if (s.status == LinkStatus::running) s.begin_graceful({});
}

void LinkCore::State::fail_pending_outgoing(std::error_code reason) {
  auto pending = std::move(pending_out);
  pending_out.clear();
  // Fail in call order, so completions observe a deterministic sequence.
  std::map<std::uint64_t, PendingCall> ordered;
  for (auto& [id, call] : pending) ordered.emplace(id, std::move(call));
  for (auto& [id, call] : ordered) {
    if (call.done) {
      defer([done = std::move(call.done), reason] { done(CallOutcome::failure(reason)); });
    }
  }
}

void LinkCore::State::begin_graceful(std::error_code reason) {
  if (status != LinkStatus::running && status != LinkStatus::handshaking) return;
  status = LinkStatus::closing;
  close_error = reason;
  in_phase = InPhase::stopped;  // §9.2: input stops immediately
  peer_hs.reset();
  fail_pending_outgoing(reason ? reason : make_error_code(Errc::link_closed));
  check_drained();
}

void LinkCore::State::check_drained() {
  if (status != LinkStatus::closing || !pending_in.empty() || output_total != 0) return;
  finish_close(false);
}

void LinkCore::State::fail(std::error_code reason) {
  if (status == LinkStatus::closed) return;
  if (status == LinkStatus::closing && !close_error) close_error = reason;
  if (status != LinkStatus::closing) close_error = reason;
  in_phase = InPhase::stopped;
  fail_pending_outgoing(reason);
  // output_chunks() promised these bytes until consume_output(); an aborted write may still
  // read them (the transport tap does when its handler runs), so they outlive the failure.
  for (auto& buf : output) abandoned_output.push_back(std::move(buf));
  output.clear();
  output_total = 0;
  output_front_offset = 0;
  finish_close(true);
}

void LinkCore::State::finish_close(bool abort) {
  status = LinkStatus::closed;
  pending_in.clear();
  // Release our objects and the peer's; PeerObjects still held by the application stay valid
  // handles but can no longer be called.
  auto keep_local = std::move(local);
  local.clear();
  local_ids.clear();
  peers.clear();
  peer_hs.reset();
  auto reason = close_error;
  defer([this, abort, reason, keep_local = std::move(keep_local)]() mutable {
    keep_local.clear();
    ev.close_transport(abort);
    ev.link_closed(reason);
  });
}

// ---------------------------------------------------------------------------------------------
// Observers

LinkStatus LinkCore::status() const noexcept { return s_->status; }
std::error_code LinkCore::close_error() const noexcept { return s_->close_error; }
const PeerHello& LinkCore::peer_hello() const noexcept { return s_->peer_hello; }
bool LinkCore::hello_accepted() const noexcept { return s_->hello_accepted; }
std::optional<milliseconds> LinkCore::keep_alive_send_period() const noexcept {
  return s_->keep_alive_send;
}
std::optional<milliseconds> LinkCore::keep_alive_receive_period() const noexcept {
  return s_->keep_alive_receive;
}
std::shared_ptr<PeerObject> LinkCore::peer_gateway() const { return s_->peer_gateway.lock(); }
const LinkConfig& LinkCore::config() const noexcept { return s_->cfg; }

LinkStats LinkCore::stats() const noexcept {
  LinkStats st = s_->stats;
  st.local_objects = s_->local.size();
  st.peer_objects = s_->peers.size();
  st.pending_outgoing_calls = 0;
  for (const auto& [id, call] : s_->pending_out) {
    if (call.internal == State::Internal::none) ++st.pending_outgoing_calls;
  }
  st.pending_incoming_calls = s_->pending_in.size();
  return st;
}

}  // namespace versile::link
