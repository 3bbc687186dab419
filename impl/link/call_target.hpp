// Incoming calls (link.md §5.3, §6): an object the peer may call implements CallTarget.
// The object layer's External implements it; an Object that does not is answered with
// CALL_ERROR for every call, meta calls included (§6.1, like Py's plain VObject).
#pragma once

#include <cstdint>
#include <memory>

#include "entity/entity.hpp"
#include "link/back_channel.hpp"
#include "link/call_types.hpp"

namespace versile::link {

class Link;

// Completes one incoming call exactly once, from any thread. Move-only.
//  - result(v)    → CALL_RESULT [id, v]   (mode void_result: [id, null] whatever v is)
//  - exception(v) → CALL_EXCEPTION [id, v]
//  - failure(ec)  → CALL_ERROR id          (ec is only logged locally)
//  - mode no_return: nothing is sent in any case (the link still learns the call ended).
// Destroying an uncompleted Responder answers CALL_ERROR. After the link closed, completing
// is a harmless no-op. A value that cannot be encoded (e.g. a raw reference of another link)
// is answered with CALL_ERROR instead (§6.4).
class Responder {
 public:
  Responder() = default;
  Responder(std::weak_ptr<LinkBackChannel> link, std::uint64_t call_id, CallMode mode) noexcept
      : link_(std::move(link)), call_id_(call_id), mode_(mode), armed_(true) {}
  Responder(Responder&& other) noexcept { *this = std::move(other); }
  Responder& operator=(Responder&& other) noexcept;
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;
  ~Responder();

  void complete(CallOutcome outcome) noexcept;
  void result(Entity value) noexcept { complete(CallOutcome::result(std::move(value))); }
  void exception(Entity value) noexcept { complete(CallOutcome::exception(std::move(value))); }
  void failure(std::error_code error) noexcept { complete(CallOutcome::failure(error)); }

  // True until complete() was called (or the Responder was moved from / default-built).
  bool pending() const noexcept { return armed_; }
  std::uint64_t call_id() const noexcept { return call_id_; }
  CallMode mode() const noexcept { return mode_; }

 private:
  std::weak_ptr<LinkBackChannel> link_;
  std::uint64_t call_id_ = 0;
  CallMode mode_ = CallMode::normal;
  bool armed_ = false;
};

// One incoming call, as decoded from METHOD_CALL / _VOID_RESULT / _NO_RETURN.
struct CallRequest {
  // The call arguments as sent: ["name", arg...] for a method call, [null, "meta", arg...] for
  // a meta call ("methods", "doc"). Not validated by the link: the target answers CALL_ERROR
  // for an empty tuple or a non-string name (§6.4).
  Tuple args;
  CallMode mode = CallMode::normal;
  Responder responder;
  // The msg_id of the call (= call id); for logging.
  std::uint64_t call_id = 0;
  // The link the call came in on (may be empty for bare-LinkCore harnesses). Lets a method
  // implementation reach its call context.
  std::weak_ptr<Link> link;
};

class CallTarget {
 public:
  virtual ~CallTarget() = default;
  // Runs on the executor configured in LinkConfig (default: inline on the link strand).
  // Must complete request.responder exactly once, now or later, from any thread (dropping it
  // answers CALL_ERROR). Exceptions escaping this function are answered with CALL_ERROR.
  virtual void handle_call(CallRequest request) = 0;
  // True if handle_call(request) never blocks (it hands the call to a state machine and may
  // answer later): the Link then runs it on its strand instead of the executor, saving the
  // thread hand-off there and back on every call. Called on the strand; must be cheap.
  virtual bool handles_inline(const CallRequest& request) const {
    (void)request;
    return false;
  }
};

}  // namespace versile::link
