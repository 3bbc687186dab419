#include "vse/stream/peer_core.hpp"

#include <algorithm>
#include <utility>

#include "link/link_error.hpp"

namespace versile::stream {

namespace {

constexpr const char* kSetStartPos = "peer_set_start_pos";
constexpr const char* kReadPush = "peer_read_push";
constexpr const char* kWriteLim = "peer_write_lim";
constexpr const char* kClosed = "peer_closed";
constexpr const char* kFail = "peer_fail";
constexpr const char* kError = "peer_error";

constexpr const char* kReadStart = "peer_read_start";
constexpr const char* kWriteStart = "peer_write_start";
constexpr const char* kReadLim = "peer_read_lim";
constexpr const char* kWritePush = "peer_write_push";
constexpr const char* kTruncBefore = "peer_trunc_before";
constexpr const char* kTruncAfter = "peer_trunc_after";
constexpr const char* kClose = "peer_close";

// An integer argument that fits int64 (booleans are not integers, §5 SPEC).
std::optional<std::int64_t> int_arg(const Entity& e) {
  if (const Integer* i = e.get_if<Integer>()) return i->to_int64();
  return std::nullopt;
}
std::optional<std::int64_t> nonneg_arg(const Entity& e) {
  auto v = int_arg(e);
  if (v && *v >= 0) return v;
  return std::nullopt;
}
// An integer of any size, clamped into ±caps::max_position (limits, §8: clamp hostile values).
std::optional<std::int64_t> clamped_arg(const Entity& e) {
  const Integer* i = e.get_if<Integer>();
  if (!i) return std::nullopt;
  if (auto v = i->to_int64()) {
    return std::clamp<std::int64_t>(*v, -caps::max_position, caps::max_position);
  }
  return i->sign() < 0 ? -caps::max_position : caps::max_position;
}

std::int64_t clamp_positive(std::int64_t v, std::int64_t cap) { return std::clamp<std::int64_t>(v, 1, cap); }

}  // namespace

PeerConfig PeerConfig::defaults_for(ElementKind kind) {
  PeerConfig c;
  c.kind = kind;
  c.r_pkg = defaults::pkg(kind);
  c.r_size = defaults::size(kind);
  c.w_pkg = defaults::pkg(kind);
  c.w_size = defaults::size(kind);
  return c;
}

PeerCore::PeerCore(PeerConfig config)
    : config_(std::move(config)),
      queue_(static_cast<std::size_t>(std::clamp<std::int64_t>(config_.r_pkg, 1, caps::max_pkg) +
                                      std::clamp<std::int64_t>(config_.max_calls, 1, caps::max_call_lim))) {
  config_.r_pkg = clamp_positive(config_.r_pkg, caps::max_pkg);
  config_.r_size = clamp_positive(config_.r_size, caps::max_package_size);
  config_.max_calls = clamp_positive(config_.max_calls, caps::max_call_lim);
  config_.w_pkg = clamp_positive(config_.w_pkg, caps::max_pkg);
  config_.w_size = clamp_positive(config_.w_size, caps::max_package_size);
  buffer_ = make_stream_buffer(config_.kind);
  r_ahead_ = config_.readahead;
  ahead_lim_ = config_.r_pkg * config_.r_size;
  ahead_step_ = defaults::half_step(ahead_lim_);
}

// --- connection ------------------------------------------------------------------------------

void PeerCore::connect() {
  if (connect_issued_) throw StreamError("Peer already connected");
  if (failed_ || done_ || closed_) throw StreamError("Stream already done or failed");
  connect_issued_ = true;
  PeerAction a;
  a.kind = PeerAction::Kind::call;
  a.method = "peer_connect";
  a.args = {Entity(config_.r_pkg + config_.max_calls), Entity(config_.r_pkg),
            Entity(config_.r_size)};
  actions_.push_back(std::move(a));
}

void PeerCore::connect_result(link::CallOutcome outcome) {
  connect_answered_ = true;
  if (closed_ || connected_) return;
  if (!outcome.is_result()) {
    // The streamer refused us (e.g. "Can only connect once") or the link is gone: it may
    // belong to another peer, so nothing is sent to it (its sequence numbers are not ours).
    silent_failure_ = true;
    if (!failed_) {
      fail(StreamErrc::connect_failure);
    } else {  // failed while the call was out (e.g. handle dropped): the held calls never go
      caller_.drop_held();
      maybe_release_streamer();
    }
    return;
  }
  const Tuple* t = outcome.value().get_if<Tuple>();
  std::optional<std::int64_t> mode, pos, call_lim, w_num, w_size;
  if (t && t->size() == 5) {
    mode = nonneg_arg((*t)[0]);
    pos = int_arg((*t)[1]);
    call_lim = clamped_arg((*t)[2]);
    w_num = clamped_arg((*t)[3]);
    w_size = clamped_arg((*t)[4]);
  }
  // A streamer that answered with a usable call window has accepted us as its peer: from now on
  // a failure is reported to it (D8 fix), with the window it granted.
  if (call_lim && *call_lim >= 1) {
    accepted_by_streamer_ = true;
    caller_.set_limit(static_cast<std::size_t>(std::min(*call_lim, caps::max_call_lim)));
  } else if (t) {
    accepted_by_streamer_ = true;
    caller_.set_limit(1);
  }
  if (failed_) {
    // Failed before the answer came (e.g. the handle was dropped): tell the streamer now.
    if (accepted_by_streamer_ && !fail_sent_ && !silent_failure_) {
      fail_sent_ = true;
      issue(kFail, {fail_msg_ ? Entity(*fail_msg_) : Entity()});
    }
    dispatch_held();
    maybe_release_streamer();
    return;
  }
  if (!mode || !pos || !call_lim || *call_lim < 1 || !w_num || *w_num < 1 || !w_size ||
      *w_size < 1) {
    fail(std::nullopt);
    return;
  }
  if (config_.required_mode && *config_.required_mode != static_cast<Mode>(*mode)) {
    fail(StreamErrc::streamer_mode_mismatch);
    return;
  }
  if (!mode::validate(static_cast<Mode>(*mode))) {
    fail(StreamErrc::invalid_stream_mode);
    return;
  }
  mode_ = static_cast<Mode>(*mode);
  w_num_ = std::min(*w_num, config_.w_pkg);
  w_size_ = std::min(*w_size, config_.w_size);
  // The handshake position is the position until a context starts; a context started before
  // the answer (recv right after connect) keeps waiting for its own start position.
  if (ctx_mode_ == ContextMode::none) spos_ = *pos;
  connected_ = true;
  changed();
  dispatch_held();
}

// --- outgoing sequencing ---------------------------------------------------------------------

std::int64_t PeerCore::issue(std::string method, std::vector<Entity> args) {
  args.insert(args.begin(), Entity(caller_.next_id()));
  const std::int64_t seq = caller_.issue(Pending{std::move(method), std::move(args)});
  dispatch_held();  // D2 fix: held calls go out in id order as the window allows
  return seq;
}

void PeerCore::dispatch_held() {
  for (auto& call : caller_.take_dispatchable()) {
    in_flight_.emplace(call.msg_id, call.payload.method);
    PeerAction a;
    a.kind = PeerAction::Kind::call;
    a.seq = call.msg_id;
    a.method = std::move(call.payload.method);
    a.args = std::move(call.payload.args);
    actions_.push_back(std::move(a));
  }
}

void PeerCore::call_result(std::int64_t seq, const link::CallOutcome& outcome) {
  auto it = in_flight_.find(seq);
  if (it == in_flight_.end()) return;
  const std::string method = std::move(it->second);
  in_flight_.erase(it);
  caller_.complete(seq);
  if (method == kWritePush) {
    const bool was_full = w_pending_ >= w_num_;
    --w_pending_;
    changed();
    if (was_full && !failed_ && !cleaned_up_ && ctx_mode_ == ContextMode::writing &&
        w_rel_lim_ > w_sent_ && spos_) {
      notify(PeerEvent::can_send);
    }
  }
  if (!outcome.is_result() && !failed_ && !closed_) {
    if ((method == kReadStart || method == kWriteStart) && outcome.is_exception()) {
      // "Could not initiate reading": a context error on that context, not a failure (§12.1 #9).
      if (ctx_ == seq && !ctx_err_) set_context_error(static_cast<int>(ContextErrorCode::general));
    } else if (method == kClose || method == kFail) {
      // No failback on close (§9.7) or on our own failure report.
    } else if (outcome.is_error() && outcome.error() != link::Errc::call_error) {
      fail(StreamErrc::could_not_perform_remote_call);
    } else {
      fail(StreamErrc::remote_call_failed);
    }
  }
  dispatch_held();
  maybe_release_streamer();
}

void PeerCore::link_lost() {
  if (failed_ || closed_) return;
  silent_failure_ = true;
  caller_.drop_held();
  fail(StreamErrc::link_lost);
}

// --- incoming calls --------------------------------------------------------------------------

void PeerCore::incoming_call(IncomingToken token, const Tuple& args) {
  if (args.empty() || !args[0].is<String>()) {
    reply(token, link::CallOutcome::Kind::error, Entity(),
          std::make_error_code(std::errc::invalid_argument));
    return;
  }
  const std::string& m = args[0].as_string();
  struct Entry {
    const char* name;
    std::size_t arity;  // arguments after the name
    void (PeerCore::*handler)(IncomingToken, const Tuple&);
  };
  static constexpr Entry kMethods[] = {
      {kSetStartPos, 3, &PeerCore::on_set_start_pos}, {kReadPush, 4, &PeerCore::on_read_push},
      {kWriteLim, 3, &PeerCore::on_write_lim},        {kClosed, 1, &PeerCore::on_closed},
      {kFail, 2, &PeerCore::on_fail},                 {kError, 3, &PeerCore::on_error},
  };
  for (const Entry& e : kMethods) {
    if (m == e.name) {
      if (args.size() != e.arity + 1) break;  // wrong arity: CALL_ERROR, no state change
      (this->*e.handler)(token, args);
      return;
    }
  }
  reply(token, link::CallOutcome::Kind::error, Entity(),
        std::make_error_code(std::errc::function_not_supported));
}

void PeerCore::reply(IncomingToken token, link::CallOutcome::Kind kind, Entity value,
                     std::error_code error) {
  PeerAction a;
  a.kind = PeerAction::Kind::reply;
  a.token = token;
  a.reply_kind = kind;
  a.value = std::move(value);
  a.error = error;
  actions_.push_back(std::move(a));
}

void PeerCore::notify(PeerEvent e) {
  PeerAction a;
  a.kind = PeerAction::Kind::notify;
  a.event = e;
  actions_.push_back(std::move(a));
}

void PeerCore::reply_null(IncomingToken token) {
  reply(token, link::CallOutcome::Kind::result, Entity(), {});
}

void PeerCore::reply_exception(IncomingToken token, std::optional<std::string> text) {
  std::vector<Entity> items;
  if (text) items.emplace_back(*text);
  reply(token, link::CallOutcome::Kind::exception, Entity(Exception{Tuple(std::move(items))}), {});
}

void PeerCore::reply_error(IncomingToken token, StreamErrc why) {
  reply(token, link::CallOutcome::Kind::error, Entity(), make_error_code(why));
}

void PeerCore::arg_error(IncomingToken token, StreamErrc reason, std::optional<std::string> text) {
  fail(reason);
  reply_exception(token, std::move(text));
}

bool PeerCore::enqueue(IncomingToken token, std::int64_t msg_id, std::function<void()> handler) {
  const StreamErrc admitted = queue_.admit(msg_id, Waiting{token, std::move(handler)});
  if (admitted != StreamErrc::ok) {
    reply_error(token, admitted);
    return false;
  }
  // Handlers run strictly in id order; each result is sent only after its handler ran.
  while (auto ready = queue_.pop_ready()) {
    ready->pending.handler();
    reply_null(ready->pending.token);
  }
  return true;
}

void PeerCore::on_set_start_pos(IncomingToken token, const Tuple& args) {
  auto msg_id = nonneg_arg(args[1]);
  auto ctx = nonneg_arg(args[2]);
  auto pos = int_arg(args[3]);
  if (failed_ || closed_) return reply_null(token);
  if (!msg_id || !ctx || !pos) return arg_error(token, StreamErrc::invalid_peer_set_start_pos_args);
  if (done_) {
    enqueue(token, *msg_id, [] {});  // D5 fix: consume the id after close
    return;
  }
  enqueue(token, *msg_id, [this, ctx = *ctx, pos = *pos] {
    if (failed_ || done_ || ctx_err_) return;
    if (spos_) return fail(StreamErrc::too_many_position_notifications);
    if (ctx_ != ctx) return;
    spos_ = pos;
    buffer_->new_context(pos, (mode_ & (mode::fixed_data | mode::data_lock)) != 0);
    changed();
  });
}

void PeerCore::on_read_push(IncomingToken token, const Tuple& args) {
  auto msg_id = nonneg_arg(args[1]);
  auto ctx = nonneg_arg(args[2]);
  const Entity& data = args[3];
  const bool data_ok = buffer_->valid_data(data);
  if (failed_ || closed_) return reply_null(token);
  if (!msg_id || !ctx || !args[4].is<bool>() || !data_ok) {
    std::optional<std::string> text;
    if (msg_id && ctx && args[4].is<bool>()) text = "Invalid read push data";
    return arg_error(token, StreamErrc::invalid_peer_read_push_args, text);
  }
  if (done_) {
    enqueue(token, *msg_id, [] {});  // D5 fix: consume the id after close
    return;
  }
  const bool eos = args[4].as_bool();
  const auto len = static_cast<std::int64_t>(buffer_->len_data(data));
  ++r_pending_;
  if (r_pending_ > config_.r_pkg) {
    fail(StreamErrc::too_many_read_packages);
    return reply_null(token);
  }
  if (len == 0 && !eos) {
    fail(StreamErrc::invalid_read_push_package);
    return reply_null(token);
  }
  if (len > config_.r_size) {
    fail(StreamErrc::read_push_package_too_large);
    return reply_null(token);
  }
  const bool admitted = enqueue(token, *msg_id, [this, ctx = *ctx, data, eos, len] {
    --r_pending_;  // SPEC (D18): released on every path
    if (failed_ || done_ || ctx_err_) return;
    if (ctx_ != ctx) return;  // stale push of an old context (§7.5)
    if (ctx_mode_ != ContextMode::reading) return fail(StreamErrc::read_push_without_read_mode);
    if (!spos_) return fail(StreamErrc::read_push_without_position);
    if (eos_) return fail(StreamErrc::read_push_after_eos);
    if (r_recv_ + len > r_rel_lim_) return fail(StreamErrc::read_push_limit_exceeded);
    const bool was_empty = buffer_->max_read() == 0;
    buffer_->write(data);
    r_recv_ += len;
    if (eos) eos_ = true;
    changed();
    if (was_empty && len > 0) notify(PeerEvent::can_recv);
  });
  // A rejected push (duplicate / out of window) never runs its handler: release its slot.
  if (!admitted) --r_pending_;
}

void PeerCore::on_write_lim(IncomingToken token, const Tuple& args) {
  auto msg_id = nonneg_arg(args[1]);
  auto ctx = nonneg_arg(args[2]);
  auto rel = clamped_arg(args[3]);
  if (failed_ || closed_) return reply_null(token);
  if (!msg_id || !ctx || !rel) return arg_error(token, StreamErrc::invalid_peer_write_lim_args);
  if (done_) {
    enqueue(token, *msg_id, [] {});  // D5 fix: consume the id after close
    return;
  }
  enqueue(token, *msg_id, [this, ctx = *ctx, rel = *rel] {
    if (failed_ || done_ || ctx_err_) return;
    if (ctx_ != ctx) return;
    if (ctx_mode_ != ContextMode::writing) return fail(StreamErrc::write_limit_requires_write_mode);
    if (!spos_) return fail(StreamErrc::write_limit_without_position);
    if (rel <= w_rel_lim_) return fail(StreamErrc::illegal_write_limit);
    const bool had_room = w_rel_lim_ > w_sent_;
    w_rel_lim_ = rel;
    changed();
    if (!had_room && w_rel_lim_ > w_sent_) notify(PeerEvent::can_send);
  });
}

void PeerCore::on_closed(IncomingToken token, const Tuple& args) {
  auto msg_id = nonneg_arg(args[1]);
  if (failed_ || closed_) return reply_null(token);
  if (!msg_id) return arg_error(token, StreamErrc::invalid_peer_closed_args);
  enqueue(token, *msg_id, [this] {
    if (failed_ || closed_) return;
    // SPEC (D6): accepted even while the context has an error.
    closed_ = true;
    changed();
    notify(PeerEvent::closed);
    cleanup();
  });
}

void PeerCore::on_fail(IncomingToken token, const Tuple& args) {
  auto msg_id = nonneg_arg(args[1]);
  const Entity& msg = args[2];
  if (failed_ || closed_) return reply_null(token);
  if (!msg_id || !(msg.is_none() || msg.is<String>())) {
    return arg_error(token, StreamErrc::invalid_peer_fail_args);
  }
  std::optional<std::string> text;
  if (msg.is<String>()) text = msg.as_string();
  enqueue(token, *msg_id, [this, text] {
    if (failed_) return;
    failed_ = true;
    fail_msg_ = text;
    fail_sent_ = true;  // the streamer knows: never answer a failure with a failure
    caller_.drop_held();
    changed();  // SPEC (D7): waiters wake and raise StreamFailure
    notify(PeerEvent::failed);
    cleanup();
  });
}

void PeerCore::on_error(IncomingToken token, const Tuple& args) {
  auto msg_id = nonneg_arg(args[1]);
  auto ctx = nonneg_arg(args[2]);
  auto code = clamped_arg(args[3]);
  if (failed_ || closed_) return reply_null(token);
  if (!msg_id || !ctx || !code) return arg_error(token, StreamErrc::invalid_peer_error_args);
  if (done_) {
    enqueue(token, *msg_id, [] {});  // D5 fix: consume the id after close
    return;
  }
  enqueue(token, *msg_id, [this, ctx = *ctx, code = *code] {
    if (failed_ || done_ || ctx_err_) return;
    if (ctx_ != ctx) return;
    set_context_error(code);
  });
}

// --- contexts --------------------------------------------------------------------------------

void PeerCore::clear_context() {
  ctx_mode_ = ContextMode::none;
  ctx_.reset();
  spos_.reset();
  rel_pos_ = 0;
  r_rel_lim_ = 0;
  r_recv_ = 0;
  eos_ = false;
  w_rel_lim_ = 0;
  w_sent_ = 0;
  ctx_err_.reset();
  buffer_->end_context();
}

void PeerCore::start_context(ContextMode mode, std::optional<std::int64_t> pos,
                             std::optional<PosRef> ref) {
  clear_context();
  ctx_mode_ = mode;
  const Entity pos_arg = pos ? Entity(*pos) : Entity();
  const Entity ref_arg = ref ? Entity(static_cast<int>(*ref)) : Entity();
  if (mode == ContextMode::reading) {
    ctx_ = issue(kReadStart, {pos_arg, ref_arg, Entity(config_.eos_policy)});
  } else {
    ctx_ = issue(kWriteStart, {pos_arg, ref_arg});
  }
  changed();
  if (mode == ContextMode::reading) update_rlim();
}

void PeerCore::update_rlim() {
  if (ctx_mode_ != ContextMode::reading || !r_ahead_ || failed_ || done_ || closed_) return;
  std::int64_t lim = rel_pos_ + ahead_lim_;
  lim -= lim % ahead_step_;
  if (lim > r_rel_lim_) {
    r_rel_lim_ = lim;
    issue(kReadLim, {Entity(lim)});
  }
}

void PeerCore::set_context_error(std::int64_t code) {
  ctx_err_ = code;
  changed();
  notify(PeerEvent::ctx_error);
}

void PeerCore::check_usable() const {
  if (failed_) throw StreamFailure("General stream failure");
  if (done_ || closed_) throw StreamError("Stream was closed");
}

void PeerCore::check_context_error() const {
  if (ctx_err_) throw_context_error(*ctx_err_);
}

void PeerCore::fail(std::optional<std::string> msg) {
  if (failed_) return;
  failed_ = true;
  fail_msg_ = msg;
  changed();
  // Calls still held back go out first (the streamer needs every id to reach our report),
  // unless nothing may be sent at all.
  if (silent_failure_) caller_.drop_held();
  if (accepted_by_streamer_ && !closed_ && !silent_failure_ && !fail_sent_) {
    fail_sent_ = true;
    issue(kFail, {msg ? Entity(*msg) : Entity()});
  }
  notify(PeerEvent::failed);
  cleanup();
}

void PeerCore::cleanup() {
  if (cleaned_up_) return;
  cleaned_up_ = true;
  clear_context();
  delayed_seek_.reset();
  // SPEC: queued calls are completed with null so the streamer's window drains.
  for (auto& dropped : queue_.clear()) reply_null(dropped.pending.token);
  maybe_release_streamer();
}

void PeerCore::maybe_release_streamer() {
  if (!cleaned_up_ || streamer_released_ || caller_.held() > 0 || !in_flight_.empty()) return;
  // Keep the reference until a pending connect answer could still require a peer_fail.
  if (connect_issued_ && !connect_answered_ && !silent_failure_) return;
  streamer_released_ = true;
  PeerAction a;
  a.kind = PeerAction::Kind::release_streamer;
  actions_.push_back(std::move(a));
}

// --- local API -------------------------------------------------------------------------------

PeerCore::Ticket PeerCore::begin_recv(std::size_t max_num) {
  if (max_num == 0) throw StreamError("recv needs max_num >= 1");
  check_usable();
  if (ctx_mode_ != ContextMode::reading) {
    auto seek = std::exchange(delayed_seek_, std::nullopt);
    if (seek) {
      start_context(ContextMode::reading, seek->first, seek->second);
    } else {
      start_context(ContextMode::reading, std::nullopt, std::nullopt);
    }
  } else {
    check_context_error();
  }
  if (buffer_->max_read() == 0) {
    if (r_ahead_) {
      update_rlim();
    } else {
      const auto want = static_cast<std::int64_t>(
          std::min<std::size_t>(max_num, static_cast<std::size_t>(caps::max_position)));
      if (r_rel_lim_ - rel_pos_ < want) {
        r_rel_lim_ = std::min(rel_pos_ + want, caps::max_position);
        issue(kReadLim, {Entity(r_rel_lim_)});
      }
    }
  }
  return Ticket{ctx_};
}

std::optional<Entity> PeerCore::poll_recv(const Ticket& t, std::size_t max_num) {
  if (failed_) throw StreamFailure("General stream failure");
  if (ctx_ != t.ctx) throw StreamError("Local context changed");
  if (done_ || closed_) throw StreamError("Stream was closed");
  check_context_error();
  if (buffer_->max_read() > 0) {
    Entity data = buffer_->read(max_num);
    rel_pos_ += static_cast<std::int64_t>(buffer_->len_data(data));
    update_rlim();
    return data;
  }
  if (eos_) return buffer_->empty_data();
  return std::nullopt;
}

PeerCore::Ticket PeerCore::begin_send(const Entity& data) {
  check_usable();
  if (!buffer_->valid_data(data)) {
    throw StreamError(config_.kind == ElementKind::bytes ? "Data must be bytes"
                                                         : "Data must be a tuple");
  }
  if (ctx_mode_ != ContextMode::writing) {
    auto seek = std::exchange(delayed_seek_, std::nullopt);
    if (seek) {
      start_context(ContextMode::writing, seek->first, seek->second);
    } else {
      start_context(ContextMode::writing, std::nullopt, std::nullopt);
    }
  } else {
    check_context_error();
  }
  return Ticket{ctx_};
}

std::optional<std::size_t> PeerCore::poll_send(const Ticket& t, const Entity& data) {
  if (failed_) throw StreamFailure("General stream failure");
  if (ctx_ != t.ctx) throw StreamError("Context was changed");
  if (done_ || closed_) throw StreamError("Stream was closed");
  check_context_error();
  const std::size_t len = buffer_->len_data(data);
  if (len == 0) return 0;
  const std::int64_t max_send = std::min(std::max<std::int64_t>(w_rel_lim_ - w_sent_, 0), w_size_);
  if (w_pending_ < w_num_ && max_send > 0 && spos_) {
    Entity chunk = buffer_->first(data, static_cast<std::size_t>(max_send));
    const auto n = static_cast<std::int64_t>(buffer_->len_data(chunk));
    issue(kWritePush, {Entity(*ctx_), chunk});
    ++w_pending_;
    rel_pos_ += n;
    w_sent_ += n;
    buffer_->write(chunk, true);
    changed();
    return static_cast<std::size_t>(n);
  }
  return std::nullopt;
}

void PeerCore::check_pos() {
  check_usable();
  check_context_error();
}

std::optional<std::int64_t> PeerCore::poll_pos() {
  check_pos();
  if (spos_) return *spos_ + rel_pos_;
  return std::nullopt;
}

void PeerCore::local_seek_check(std::int64_t pos, PosRef ref) const {
  const Mode m = connected_ ? mode_ : config_.required_mode.value_or(0);
  if (!mode::can_seek(m)) throw StreamError("Stream does not allow seek operations");
  if (ref == PosRef::abs && spos_) {
    const std::int64_t current = *spos_ + rel_pos_;
    if (pos > current && !(m & mode::seek_fwd)) throw StreamError("Forward seek not allowed");
    if (pos < current && !(m & mode::seek_rew)) throw StreamError("Backward seek not allowed");
  }
}

void PeerCore::rseek(std::int64_t pos, PosRef ref) {
  check_usable();
  local_seek_check(pos, ref);
  start_context(ContextMode::reading, pos, ref);
}

void PeerCore::wseek(std::int64_t pos, PosRef ref) {
  check_usable();
  local_seek_check(pos, ref);
  start_context(ContextMode::writing, pos, ref);
}

void PeerCore::seek(std::int64_t pos, PosRef ref) {
  check_usable();
  if (ctx_mode_ == ContextMode::reading) return rseek(pos, ref);
  if (ctx_mode_ == ContextMode::writing) return wseek(pos, ref);
  local_seek_check(pos, ref);
  delayed_seek_ = std::make_pair(pos, ref);
}

PeerCore::Ticket PeerCore::begin_trunc(bool before) {
  const Mode m = connected_ ? mode_ : config_.required_mode.value_or(0);
  if (before && !mode::has(m, mode::can_move_start | mode::start_can_inc)) {
    throw StreamError("Stream does not allow start truncation");
  }
  if (!before && !mode::has(m, mode::can_move_end | mode::end_can_dec)) {
    throw StreamError("Stream does not allow end truncation");
  }
  check_usable();
  if (ctx_mode_ != ContextMode::writing) throw StreamError("Must be in write-mode when truncating");
  check_context_error();
  return Ticket{ctx_};
}

bool PeerCore::poll_trunc(const Ticket& t, bool before) {
  if (failed_) throw StreamFailure("General stream failure");
  if (ctx_ != t.ctx) throw StreamError("Context was changed");
  if (done_ || closed_) throw StreamError("Stream was closed");
  check_context_error();
  if (!spos_) return false;
  ctx_ = issue(before ? kTruncBefore : kTruncAfter, {});
  if (!before) w_rel_lim_ = w_sent_;  // the old grant is void; wait for one for the new ctx
  changed();
  return true;
}

void PeerCore::close() {
  if (done_ || failed_ || closed_) return;  // SPEC: idempotent
  done_ = true;
  changed();
  issue(kClose, {});
}

void PeerCore::handle_dropped() {
  if (failed_) return;
  if (!connected_) {
    fail(StreamErrc::stream_no_longer_referenced);
  } else if (!done_ && !closed_) {
    close();
  }
}

void PeerCore::set_readahead(std::int64_t num, std::optional<std::int64_t> step) {
  if (num < 1) throw StreamError("Read-ahead limit must be at least 1");
  const std::int64_t s = step.value_or(defaults::half_step(num));
  if (s < 1) throw StreamError("Read-ahead step must be at least 1");
  ahead_lim_ = std::min(num, caps::max_position / 2);
  ahead_step_ = s;
  update_rlim();
}

void PeerCore::enable_readahead() {
  r_ahead_ = true;
  update_rlim();
}

void PeerCore::disable_readahead() { r_ahead_ = false; }

void PeerCore::check_readable() const {
  const Mode m = connected_ ? mode_ : config_.required_mode.value_or(mode::readable);
  if (!(m & mode::readable)) throw StreamError("Stream not readable");
}

StatusFlags PeerCore::status() const noexcept {
  StatusFlags s;
  s.connected = connected_;
  s.done = done_;
  s.failed = failed_;
  s.closed = closed_;
  s.active = connected_ && !(done_ || closed_ || failed_);
  return s;
}

std::vector<PeerAction> PeerCore::take_actions() { return std::exchange(actions_, {}); }

}  // namespace versile::stream
