#include "vse/stream/streamer_core.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace versile::stream {
namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

const Integer* as_integer(const Entity& e) { return e.get_if<Integer>(); }  // bools excluded

// Integers of any size, clamped into [lo, hi] (hostile huge values, §8).
std::int64_t clamped(const Integer& i, std::int64_t lo, std::int64_t hi) {
  if (auto v = i.to_int64()) return std::clamp(*v, lo, hi);
  return i.sign() > 0 ? hi : lo;
}

// A msg_id / ctx argument: an integer ≥ 0. Values beyond int64 map to int64 max (which no
// window admits and no context id equals).
std::optional<std::int64_t> non_negative(const Entity& e) {
  const Integer* i = as_integer(e);
  if (!i || i->sign() < 0) return std::nullopt;
  return clamped(*i, 0, int64_max);
}

std::string_view out_method_name(int m) {
  static constexpr std::string_view names[] = {"peer_set_start_pos", "peer_read_push",
                                               "peer_write_lim",     "peer_error",
                                               "peer_closed",        "peer_fail"};
  return names[m];
}

std::int64_t positive_or(std::optional<std::int64_t> v, std::int64_t fallback,
                         std::int64_t cap) {
  return std::clamp<std::int64_t>(v.value_or(fallback), 1, cap);
}

}  // namespace

CallReply CallReply::exception_text(std::string_view text) {
  if (text.empty()) return exception(Entity(Exception{}));
  return exception(Entity(Exception{Tuple{Entity(std::string(text))}}));
}

StreamerCore::StreamerCore(std::unique_ptr<StreamerData> data, const StreamerConfig& config)
    : kind_(data ? data->kind() : ElementKind::bytes),
      data_(std::move(data)),
      mode_(config.mode),
      w_buf_lim_(positive_or(config.w_lim, defaults::w_lim(kind_), caps::max_position)),
      w_buf_step_(positive_or(config.w_step, defaults::half_step(w_buf_lim_),
                              caps::max_position)),
      w_pkg_(positive_or(config.w_pkg, defaults::pkg(kind_), caps::max_pkg)),
      w_size_(positive_or(config.w_size, defaults::size(kind_), caps::max_package_size)),
      call_lim_(std::clamp<std::int64_t>(w_pkg_ + config.max_calls, 1, caps::max_call_lim)),
      caller_(0),
      queue_(static_cast<std::size_t>(call_lim_)) {
  if (!data_) throw StreamError(StreamErrc::streamer_requires_data);
  const RequiredMode req = data_->req_mode();
  if ((mode_ & req.mask) != req.bits) {
    throw StreamError(StreamErrc::data_mode_mismatch);
  }
  if ((mode_ & ~(req.mask | data_->opt_mode())) != 0) {
    throw StreamError(StreamErrc::data_mode_unsupported);
  }
  if (!mode::validate(mode_)) throw StreamError(StreamErrc::invalid_streamer_mode);
  if (mode_ & mode::writable) {
    if (!config.write_buffer) throw StreamError(StreamErrc::writable_requires_write_buffer);
  }
  if (config.write_buffer) wbuf_.emplace(kind_);
  if (!config.uncapped_reads) {
    local_r_pkg_ = positive_or(config.r_pkg, defaults::pkg(kind_), caps::max_pkg);
    local_r_size_ = positive_or(config.r_size, defaults::size(kind_), caps::max_package_size);
  }
  ctx_spos_ = data_->pos();
}

StreamerCore::~StreamerCore() { close_data(); }

bool StreamerCore::peer_releasable() const noexcept {
  return connected_ && !peer_active_ && caller_.held() == 0 && caller_.outstanding() == 0;
}

std::vector<StreamerAction> StreamerCore::take_actions() { return std::exchange(actions_, {}); }

void StreamerCore::reply(std::uint64_t token, CallReply r) {
  actions_.push_back(ReplyAction{token, std::move(r)});
}

// ARGERR (§5 conventions): fail with "Invalid <method> arguments" and raise to the caller.
void StreamerCore::argerr(std::uint64_t token, StreamErrc e, std::string_view text) {
  fail(e);
  reply(token, CallReply::exception_text(text));
}

// --- incoming calls ---------------------------------------------------------------------

void StreamerCore::handle_call(std::uint64_t token, std::string_view method,
                               std::span<const Entity> args) {
  struct Entry {
    std::string_view name;
    Method method;
    std::size_t min_args, max_args;
  };
  static constexpr Entry table[] = {
      {"peer_connect", Method::connect, 4, 4},
      {"peer_read_start", Method::read_start, 4, 4},
      {"peer_write_start", Method::write_start, 3, 3},
      {"peer_read_lim", Method::read_lim, 2, 2},
      {"peer_write_push", Method::write_push, 3, 3},
      {"peer_trunc_before", Method::trunc_before, 1, 1},
      {"peer_trunc_after", Method::trunc_after, 1, 1},
      {"peer_close", Method::close, 1, 1},
      {"peer_fail", Method::fail, 1, 2},
  };
  const Entry* entry = nullptr;
  for (const auto& e : table) {
    if (e.name == method) entry = &e;
  }
  // Unknown method or wrong arity: CALL_ERROR, no state change (C66).
  if (!entry) {
    reply(token, CallReply::error_code(std::make_error_code(std::errc::function_not_supported)));
    return;
  }
  if (args.size() < entry->min_args || args.size() > entry->max_args) {
    reply(token, CallReply::error_code(std::make_error_code(std::errc::invalid_argument)));
    return;
  }
  if (entry->method == Method::connect) {
    handle_connect(token, args);
  } else {
    handle_sequenced(token, entry->method, args);
  }
}

void StreamerCore::handle_connect(std::uint64_t token, std::span<const Entity> args) {
  // A second connect, or one after close/failure, is refused without touching the stream
  // (SPEC: also after a failed first attempt, fixing the zombie streamer D22).
  if (connected_ || done_ || failed_) {
    reply(token, CallReply::exception_text("Can only connect once"));
    return;
  }
  const bool peer_ok = args[0].is<ObjectRef>();
  const Integer* ints[3] = {as_integer(args[1]), as_integer(args[2]), as_integer(args[3])};
  bool ints_ok = true;
  for (const Integer* i : ints) ints_ok = ints_ok && i && i->sign() > 0;
  if (!peer_ok || !ints_ok) {
    argerr(token, StreamErrc::invalid_peer_connect_args);
    return;
  }
  peer_ = args[0];
  connected_ = true;
  peer_active_ = true;
  // The peer's call_lim bounds our outstanding calls; clamp hostile values (§12.1 #18).
  caller_.set_limit(static_cast<std::size_t>(clamped(*ints[0], 1, caps::max_call_lim)));
  r_num_ = clamped(*ints[1], 1, local_r_pkg_.value_or(caps::max_pkg));
  r_size_ = clamped(*ints[2], 1, local_r_size_.value_or(caps::max_package_size));
  const Tuple result{Entity(Integer(mode_)), Entity(ctx_spos_ + ctx_rpos_), Entity(call_lim_),
                     Entity(w_pkg_), Entity(w_size_)};
  reply(token, CallReply::result(Entity(result)));
  flush_calls();
}

void StreamerCore::handle_sequenced(std::uint64_t token, Method m, std::span<const Entity> args) {
  Pending p;
  p.token = token;
  p.method = m;
  const auto msg_id = non_negative(args[0]);

  // Argument validation (ARGERR) per method.
  switch (m) {
    case Method::read_start:
    case Method::write_start: {
      const StreamErrc e = m == Method::read_start ? StreamErrc::invalid_peer_read_start_args
                                                   : StreamErrc::invalid_peer_write_start_args;
      if (!msg_id) return argerr(token, e);
      const Entity& pos = args[1];
      const Entity& ref = args[2];
      if (pos.is_none()) {
        if (!ref.is_none()) return argerr(token, e, "If pos is None, pos_ref must be None");
      } else {
        const Integer* pi = as_integer(pos);
        const Integer* ri = as_integer(ref);
        if (!pi || !ri) return argerr(token, e);
        p.pos = clamped(*pi, -caps::max_position, caps::max_position);
        p.pos_ref = wire_pos_ref(clamped(*ri, 0, 5));
        if (!p.pos_ref) p.pos_ref = PosRef::current;  // marks "invalid reference" below
      }
      if (m == Method::read_start) {
        if (!args[3].is<bool>()) return argerr(token, e);
        p.eos = args[3].get<bool>();
      }
      break;
    }
    case Method::read_lim: {
      const Integer* rel = as_integer(args[1]);
      if (!msg_id || !rel || rel->sign() <= 0) {
        return argerr(token, StreamErrc::invalid_peer_read_lim_args);
      }
      p.number = clamped(*rel, 1, caps::max_position);
      break;
    }
    case Method::write_push: {
      if (!wbuf_) {
        // REF: a streamer without write buffer fails and the caller gets CALL_ERROR.
        fail(StreamErrc::invalid_peer_write_push_args);
        return reply(token, CallReply::error_code(StreamErrc::invalid_peer_write_push_args));
      }
      const auto wctx = non_negative(args[1]);
      if (!msg_id || !wctx) return argerr(token, StreamErrc::invalid_peer_write_push_args);
      if (!wbuf_->valid_data(args[2])) {
        return argerr(token, StreamErrc::invalid_peer_write_push_args, "Invalid wpush data");
      }
      p.number = *wctx;
      p.data = args[2];
      p.length = package_length(kind_, args[2]).value_or(0);
      break;
    }
    case Method::trunc_before:
      if (!msg_id) return argerr(token, StreamErrc::invalid_peer_trunc_before_args);
      break;
    case Method::trunc_after:
      if (!msg_id) return argerr(token, StreamErrc::invalid_peer_trunc_after_args);
      break;
    case Method::close:
      if (!msg_id) return argerr(token, StreamErrc::invalid_peer_close_args);
      break;
    case Method::fail:
      if (!msg_id || (args.size() > 1 && !args[1].is_none() && !args[1].is<String>())) {
        return argerr(token, StreamErrc::invalid_peer_fail_args);
      }
      break;
    case Method::connect: break;
  }

  // Early checks: not queued, id not consumed.
  if (failed_ || done_) return reply(token, CallReply::result());
  if (!connected_) {
    // SPEC (C65): a sequenced call before the handshake is refused, nothing changes.
    return reply(token, CallReply::exception_text("Streamer not connected"));
  }
  switch (m) {
    case Method::read_start:
    case Method::write_start: {
      const bool reading = m == Method::read_start;
      if (!(mode_ & (reading ? mode::readable : mode::writable))) {
        fail(reading ? StreamErrc::not_readable : StreamErrc::not_writable);
        return reply(token, CallReply::result());
      }
      if (p.pos && p.pos_ref == PosRef::current) {
        fail(StreamErrc::invalid_position_reference);
        return reply(token, CallReply::result());
      }
      break;
    }
    case Method::write_push:
      ++w_pending_;
      if (w_pending_ > w_pkg_) {
        fail(StreamErrc::too_many_pending_write_push);
        return reply(token, CallReply::result());
      }
      if (p.length == 0) {
        fail(StreamErrc::write_push_without_data);
        return reply(token, CallReply::result());
      }
      if (p.length > w_size_) {
        fail(StreamErrc::write_package_too_big);
        return reply(token, CallReply::result());
      }
      break;
    case Method::trunc_before:
      if (!mode::has(mode_, mode::can_move_start | mode::start_can_inc)) {
        fail(StreamErrc::illegal_truncate);
        return reply(token, CallReply::result());
      }
      break;
    case Method::trunc_after:
      if (!mode::has(mode_, mode::can_move_end | mode::end_can_dec)) {
        fail(StreamErrc::illegal_truncate);
        return reply(token, CallReply::result());
      }
      break;
    default: break;
  }

  const StreamErrc admitted = queue_.admit(*msg_id, std::move(p));
  if (admitted != StreamErrc::ok) {
    // Sequencing rejection: CALL_ERROR, state unchanged, no failure (§4.4, C60, C62). A
    // rejected write push does not stay counted.
    if (m == Method::write_push) --w_pending_;
    return reply(token, CallReply::error_code(admitted));
  }
  run_queue();
}

void StreamerCore::run_queue() {
  while (auto ready = queue_.pop_ready()) {
    CallReply r = run_handler(ready->pending, ready->msg_id);
    reply(ready->pending.token, std::move(r));
  }
}

CallReply StreamerCore::run_handler(Pending& p, std::int64_t msg_id) {
  switch (p.method) {
    case Method::read_start: return start_context(p, msg_id, true);
    case Method::write_start: return start_context(p, msg_id, false);
    case Method::read_lim: handle_read_lim(p.number); break;
    case Method::write_push: handle_write_push(p); break;
    case Method::trunc_before: handle_trunc(msg_id, true); break;
    case Method::trunc_after: handle_trunc(msg_id, false); break;
    case Method::close: handle_close(); break;
    case Method::fail: handle_peer_fail(); break;
    case Method::connect: break;
  }
  return CallReply::result();
}

// §5.2 / §5.3 "start read/write context".
CallReply StreamerCore::start_context(const Pending& p, std::int64_t msg_id, bool reading) {
  if (failed_ || done_) return CallReply::result();
  if (!p.pos) {
    const ContextMode same = reading ? ContextMode::reading : ContextMode::writing;
    if (ctx_mode_ == same) {
      fail(reading ? StreamErrc::invalid_read_context_position
                   : StreamErrc::invalid_write_start_position);
      return CallReply::result();
    }
  }
  if (reading && ctx_mode_ == ContextMode::writing && wbuf_) wbuf_->end_context();
  const std::int64_t old_pos = ctx_spos_ + ctx_rpos_;
  clear_context();
  ctx_spos_ = old_pos;
  ctx_rpos_ = 0;

  std::int64_t new_pos = old_pos;
  if (p.pos) {
    if (!mode::can_seek(mode_)) {
      fail(reading ? StreamErrc::seek_not_supported : StreamErrc::seek_not_allowed);
      return CallReply::result();
    }
    auto direction_ok = [&](std::int64_t target) {
      if (target > old_pos && !(mode_ & mode::seek_fwd)) {
        fail(StreamErrc::forward_seek_not_allowed);
        return false;
      }
      if (target < old_pos && !(mode_ & mode::seek_rew)) {
        fail(StreamErrc::reverse_seek_not_allowed);
        return false;
      }
      return true;
    };
    const bool absolute = p.pos_ref == PosRef::abs;
    if (absolute && !direction_ok(*p.pos)) return CallReply::result();
    if (!absolute || *p.pos != old_pos) {
      try {
        new_pos = data_->seek(*p.pos, *p.pos_ref);
      } catch (const StreamFailure&) {
        fail(reading ? StreamErrc::seek_related_failure : StreamErrc::seek_operation_failure);
        return CallReply::result();
      } catch (const StreamException&) {
        // Not a failure: no context, nothing sent, the caller gets the exception (§12.1 #9).
        // The reference uses the read text for write starts too.
        return CallReply::exception_text("Could not initiate reading");
      }
      if (!direction_ok(new_pos)) return CallReply::result();
    }
  }

  ctx_mode_ = reading ? ContextMode::reading : ContextMode::writing;
  ctx_ = msg_id;
  ctx_spos_ = new_pos;
  ctx_rpos_ = 0;
  if (reading) {
    r_eos_ = p.eos;
  } else if (wbuf_) {
    wbuf_->new_context(new_pos);
  }
  issue(OutMethod::set_start_pos, {Entity(msg_id), Entity(new_pos)});
  if (!reading) update_write_limit();
  poll_endpoints();
  return CallReply::result();
}

void StreamerCore::handle_read_lim(std::int64_t rel_pos) {
  if (failed_ || done_ || ctx_err_) return;
  if (!(mode_ & mode::readable)) return fail(StreamErrc::not_readable);
  // SPEC (D15): a limit without an active read context is ignored (REF pushes with ctx null).
  if (ctx_mode_ != ContextMode::reading) return;
  if (rel_pos <= r_rel_lim_) return fail(StreamErrc::illegal_read_limit);
  r_rel_lim_ = rel_pos;
  push_loop();
}

void StreamerCore::handle_write_push(const Pending& p) {
  if (failed_ || done_) return;
  --w_pending_;  // SPEC (D18): released even when the push is dropped below
  if (ctx_err_) return;
  if (!ctx_ || p.number != *ctx_) return;  // stale context: dropped silently
  if (ctx_mode_ != ContextMode::writing) return fail(StreamErrc::write_push_without_write_mode);
  if (w_recv_ + p.length > w_rel_lim_) return fail(StreamErrc::write_limit_exceeded);
  try {
    data_->write(p.data);
  } catch (const StreamFailure&) {
    return fail(StreamErrc::data_failure);
  } catch (const StreamException&) {
    // SPEC (D4): a data write error is a context error, not a NameError/CALL_ERROR.
    return set_context_error(ContextErrorCode::general);
  }
  if (wbuf_) wbuf_->write(p.data);
  w_recv_ += p.length;
  ctx_rpos_ += p.length;
  poll_endpoints();
  update_write_limit();
}

void StreamerCore::handle_trunc(std::int64_t msg_id, bool before) {
  if (failed_ || done_ || ctx_err_) return;
  if (ctx_mode_ != ContextMode::writing) return fail(StreamErrc::truncate_requires_write_context);
  try {
    if (before) {
      data_->trunc_before();
    } else {
      data_->trunc_after();
    }
  } catch (const StreamFailure&) {
    return fail(StreamErrc::data_failure);
  } catch (const StreamException&) {
    return set_context_error(ContextErrorCode::general);  // SPEC (D4)
  }
  ctx_ = msg_id;  // truncation re-labels the context (§12.1 #8)
  poll_endpoints();
  if (!before) {
    w_rel_lim_ = w_recv_;  // the previous grant is void
    update_write_limit();
  }
}

void StreamerCore::handle_close() {
  // SPEC (D6): close even when the current context has an error.
  if (failed_ || done_) return;
  done_ = true;
  close_data();
  issue(OutMethod::closed, {});
  cleanup();
}

void StreamerCore::handle_peer_fail() {
  if (failed_) return;
  failed_ = true;
  failure_reason_ = StreamErrc::remote_call_failed;
  cleanup();
}

// --- outgoing calls ---------------------------------------------------------------------

void StreamerCore::issue(OutMethod m, std::vector<Entity> args) {
  if (!peer_active_) return;
  const std::int64_t id = caller_.issue(OutPayload{m, std::move(args)});
  in_flight_[id] = m;
  flush_calls();
}

void StreamerCore::flush_calls() {
  for (auto& call : caller_.take_dispatchable()) {
    StreamerCall out;
    out.msg_id = call.msg_id;
    out.method = std::string(out_method_name(static_cast<int>(call.payload.method)));
    out.args.reserve(call.payload.args.size() + 1);
    out.args.emplace_back(call.msg_id);
    for (auto& a : call.payload.args) out.args.push_back(std::move(a));
    actions_.emplace_back(std::move(out));
  }
}

void StreamerCore::handle_call_outcome(std::int64_t msg_id, const CallReply& outcome) {
  if (!caller_.complete(msg_id)) return;
  const auto it = in_flight_.find(msg_id);
  const OutMethod m = it != in_flight_.end() ? it->second : OutMethod::fail;
  if (it != in_flight_.end()) in_flight_.erase(it);
  flush_calls();
  if (m == OutMethod::read_push) --r_pending_;
  if (!outcome.is_result()) {
    // SPEC (§4.1, D3 fixed): an error result of any of our calls fails the stream properly.
    if (!failed_ && !done_) fail(StreamErrc::remote_call_failed);
    return;
  }
  if (m == OutMethod::read_push && ctx_mode_ == ContextMode::reading) push_loop();
}

void StreamerCore::handle_link_lost() {
  if (failed_) return;
  failed_ = true;
  failure_reason_ = StreamErrc::link_lost;
  peer_active_ = false;
  caller_.drop_held();
  cleanup();
}

void StreamerCore::handle_endpoints_changed() {
  if (failed_ || done_ || ctx_err_) {
    if (data_ && !data_closed_) data_->enable_notifications(false);
    return;
  }
  poll_endpoints();
  if (!ctx_err_ && ctx_mode_ == ContextMode::reading) push_loop();
}

void StreamerCore::set_write_buffering(std::int64_t num, std::optional<std::int64_t> step) {
  w_buf_lim_ = std::clamp<std::int64_t>(num, 1, caps::max_position);
  w_buf_step_ = std::clamp<std::int64_t>(step.value_or(defaults::half_step(w_buf_lim_)), 1,
                                         caps::max_position);
  if (ctx_mode_ == ContextMode::writing) update_write_limit();
}

// --- failure, cleanup, context helpers ------------------------------------------------------

void StreamerCore::fail(StreamErrc reason) {
  if (failed_) return;
  failed_ = true;
  failure_reason_ = reason;
  if (peer_active_) issue(OutMethod::fail, {Entity(std::string(errc_message(reason)))});
  cleanup();
}

void StreamerCore::cleanup() {
  clear_context();
  close_data();
  peer_active_ = false;
  // Like the reference, drop the peer reference here (its link then sends NOTIFY_DEREF in the
  // close step of the recorded traces); the adapter keeps its own handle while calls are out.
  peer_ = Entity();
  // SPEC: calls waiting behind a gap are answered with null so the peer's window drains.
  for (auto& dropped : queue_.clear()) {
    if (dropped.pending.method == Method::write_push) --w_pending_;
    reply(dropped.pending.token, CallReply::result());
  }
}

void StreamerCore::clear_context() {
  ctx_mode_ = ContextMode::none;
  ctx_.reset();
  ctx_err_.reset();
  r_rel_lim_ = 0;
  r_eos_ = false;
  eos_sent_ = false;
  w_rel_lim_ = 0;
  w_recv_ = 0;
}

void StreamerCore::close_data() noexcept {
  if (data_closed_ || !data_) return;
  data_closed_ = true;
  try {
    data_->enable_notifications(false);
    data_->close();
  } catch (...) {
    // Closing is best effort; the stream is finished either way.
  }
}

void StreamerCore::set_context_error(ContextErrorCode code) {
  if (ctx_err_ || !ctx_) return;
  ctx_err_ = static_cast<std::int64_t>(code);
  issue(OutMethod::error, {Entity(*ctx_), Entity(static_cast<std::int64_t>(code))});
}

void StreamerCore::poll_endpoints() {
  if (failed_ || done_ || ctx_mode_ == ContextMode::none) return;
  Endpoints ep;
  try {
    ep = data_->endpoints();
  } catch (const StreamFailure&) {
    return fail(StreamErrc::data_failure);
  } catch (const StreamException&) {
    return;
  }
  const std::int64_t pos = ctx_spos_ + ctx_rpos_;
  if ((ep.start && pos < *ep.start) || (ep.end && pos > *ep.end)) {
    set_context_error(ContextErrorCode::invalid_pos);
  }
}

// §8.2, exactly: pushes of at most r_size elements up to the read limit, at most r_num
// awaiting results; eos on the first short read when the context asked for it.
void StreamerCore::push_loop() {
  if (failed_ || done_ || !(mode_ & mode::readable) || eos_sent_) return;
  if (ctx_err_ || ctx_mode_ != ContextMode::reading) return;
  bool end_of_data = false;
  while (r_pending_ < r_num_ && !ctx_err_ && !end_of_data && !failed_) {
    const std::int64_t max_push = std::min(std::max<std::int64_t>(r_rel_lim_ - ctx_rpos_, 0),
                                           r_size_);
    if (max_push <= 0) break;
    Entity data;
    std::optional<std::int64_t> len;
    try {
      data = data_->read(max_push);
      len = package_length(kind_, data);
      if (!len || *len > max_push) throw StreamError("Streamer data returned an invalid package");
    } catch (const StreamFailure&) {
      return fail(StreamErrc::data_failure);  // SPEC (D14): stop, no stale data
    } catch (const StreamException&) {
      set_context_error(ContextErrorCode::general);
      break;
    }
    if (*len < max_push) end_of_data = true;
    const bool eos = end_of_data && r_eos_;
    if (*len > 0 || eos) {
      issue(OutMethod::read_push, {Entity(*ctx_), std::move(data), Entity(eos)});
      ctx_rpos_ += *len;
      ++r_pending_;
      if (eos) eos_sent_ = true;
    }
    poll_endpoints();
  }
}

// §8.3, exactly.
void StreamerCore::update_write_limit() {
  if (failed_ || done_ || ctx_mode_ != ContextMode::writing) return;
  std::int64_t lim = ctx_rpos_ + w_buf_lim_;
  lim -= lim % w_buf_step_;
  if (!mode::has(mode_, mode::end_can_inc | mode::can_move_end)) {
    std::optional<std::int64_t> end;
    try {
      end = data_->endpoints().end;
    } catch (const StreamException&) {
    }
    if (end) lim = std::min(lim, std::max<std::int64_t>(0, *end - ctx_spos_));
  }
  if (lim > w_rel_lim_) {
    w_rel_lim_ = lim;
    issue(OutMethod::write_lim, {Entity(*ctx_), Entity(lim)});
  }
}

}  // namespace versile::stream
