// The grading vocabulary of the harness (modelled on Autobahn|Testsuite and h2spec): what a
// scenario demands (strictness), which side it puts under test (role), how an outcome is
// classified (error category, never a message string) and the graded verdict.
#pragma once

#include <optional>
#include <string_view>

namespace vpstream::conformance {

// PASS: the specified outcome. NON-STRICT: an accepted but weaker outcome (e.g. the reference's
// defective behaviour, or a SHOULD that was not met). INFORMATIONAL: observed behaviour is
// recorded for information only (REF scenarios that deviate). UNIMPLEMENTED: the driver (or the
// implementation under test) lacks the API the scenario needs. FAIL: a MUST was violated.
enum class Verdict { pass, non_strict, informational, unimplemented, fail };

// MUST: deviation fails. SHOULD: deviation is NON-STRICT. REF: checks reference-compatible
// behaviour; deviation is INFORMATIONAL.
enum class Strictness { must, should, ref };

// Which side's behaviour the scenario checks. server: the streamer / the side serving the
// conformance gateway (what `--peer` can exercise on another implementation). client: the
// stream peer / caller side, always vpstream itself. link: both link ends symmetrically.
enum class Role { server, client, link };

// How an outcome is classified. `success` means the operation completed as specified; every
// other value is a failure class. Scenarios compare categories, never message strings.
enum class ErrorCategory {
  success,
  wrong_result,        // completed, but with a different value / message sequence than specified
  call_error,          // the call was answered with CALL_ERROR
  call_exception,      // the call was answered with CALL_EXCEPTION (a VException)
  link_closed,         // the link was torn down (protocol violation, abort, EOF)
  decode_error,        // bytes were rejected by the entity decoder
  stream_error,        // VStreamError on the local stream API
  stream_invalid_pos,  // VStreamInvalidPos
  stream_failure,      // the stream failed (VStreamFailure / peer_fail)
  stream_timeout,      // a local stream wait timed out (VStreamTimeout)
  no_response,         // nothing happened within the scenario's wait (a hang / ignore)
  mode_error,          // a mode bit combination was rejected locally
  timeout,             // the scenario exceeded its own time budget (harness verdict)
  harness_error,       // the driver itself threw something unexpected
  peer_dead,           // the peer under test no longer answers (sanity case failed)
};

std::string_view to_string(Verdict v) noexcept;
std::string_view to_string(Strictness s) noexcept;
std::string_view to_string(Role r) noexcept;
std::string_view to_string(ErrorCategory c) noexcept;
std::optional<Verdict> verdict_from_string(std::string_view s) noexcept;
std::optional<ErrorCategory> category_from_string(std::string_view s) noexcept;

}  // namespace vpstream::conformance
