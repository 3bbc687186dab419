// Errors of the VSE stream module (stream.md §3.3, §3.5, §5, §6): the local exception classes
// of the user API and streamer data, and a typed error enum for protocol violations whose
// descriptions are the reference's failure messages (the text sent in peer_fail).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <system_error>

namespace versile::stream {

// Protocol violations and failure causes. message() returns the reference's text exactly, so a
// failure can be reported on the wire (peer_fail) and compared in conformance checks.
enum class StreamErrc {
  ok = 0,
  // Argument validation (ARGERR) of each published method: "Invalid <method> arguments".
  invalid_peer_connect_args,
  invalid_peer_read_start_args,
  invalid_peer_write_start_args,
  invalid_peer_read_lim_args,
  invalid_peer_write_push_args,
  invalid_peer_trunc_before_args,
  invalid_peer_trunc_after_args,
  invalid_peer_close_args,
  invalid_peer_fail_args,
  invalid_peer_set_start_pos_args,
  invalid_peer_read_push_args,
  invalid_peer_write_lim_args,
  invalid_peer_closed_args,
  invalid_peer_error_args,
  // Streamer side (§5).
  not_readable,                  // "Stream not readable"
  not_writable,                  // "Stream not writable"
  invalid_position_reference,    // "Invalid position reference"
  invalid_read_context_position, // "Invalid read context position"
  invalid_write_start_position,  // "Invalid write start position"
  seek_not_supported,            // "Stream does not support seek" (read start)
  seek_not_allowed,              // "Seek not allowed" (write start)
  forward_seek_not_allowed,      // "Forward seek not allowed"
  reverse_seek_not_allowed,      // "Reverse seek not allowed"
  seek_related_failure,          // "Seek related failure" (read start, data failure)
  seek_operation_failure,        // "Seek operation failure" (write start, data failure)
  illegal_read_limit,            // "Illegal read limit"
  too_many_pending_write_push,   // "Too many pending write push"
  write_push_without_data,       // "Write push without data"
  write_package_too_big,         // "Write package too big"
  write_push_without_write_mode, // "Write push without write mode"
  write_limit_exceeded,          // "Write limit exceeded"
  illegal_truncate,              // "Illecal truncate operation" (sic, REF text)
  truncate_requires_write_context, // "Truncate requires write context"
  data_failure,                  // "Streamer data failure" (data raised StreamFailure)
  // Peer side (§6, §9).
  too_many_position_notifications, // "Too many position notifications"
  too_many_read_packages,          // "Too many read packages"
  invalid_read_push_package,       // "Invalid read push package"
  read_push_package_too_large,     // "Read push package too large"
  read_push_without_read_mode,     // "Read push without read mode"
  read_push_without_position,      // "Read push without position"
  read_push_after_eos,             // "Read push after end-of-stream"
  read_push_limit_exceeded,        // "Read push limit exceeded"
  write_limit_requires_write_mode, // "Write limit requires write mode"
  write_limit_without_position,    // "Write limit without position"
  illegal_write_limit,             // "Illegal write limit"
  connect_failure,                 // "Connect failure"
  streamer_mode_mismatch,          // "Streamer peer mode mismatch"
  invalid_stream_mode,             // "Invalid stream mode"
  could_not_perform_remote_call,   // "Could not perform remote call"
  stream_no_longer_referenced,     // "Stream no longer referenced"
  // Both sides.
  remote_call_failed,  // an outgoing sequenced call came back with an error (SPEC §4.1)
  link_lost,           // the link under the stream went away (SPEC §9.10)
  // Sequencing rejections (§4.4): answered with CALL_ERROR, never a stream failure.
  sequence_duplicate,     // msg_id below next_id
  sequence_out_of_window, // msg_id at or beyond next_id + lim
  sequence_already_queued,
  // Decoding a streamer proxy VTagged (§2.2); each is a parse error of the tagged value.
  proxy_not_streamer_tag,     // the tags do not name a VSE byte/entity streamer
  proxy_bad_residual_tags,    // not exactly one residual tag after the header
  proxy_mode_not_integer,     // the residual tag is not an integer (booleans rejected)
  proxy_value_not_object,     // the tagged value is not an object reference
  // Local streamer construction (§3.1, §10): the mode against the data and the configuration.
  streamer_requires_data,          // "Streamer requires streamer data"
  data_mode_mismatch,              // "Mismatch with required streamer data mode." (REF text)
  data_mode_unsupported,           // "All mode bits not supported by streamer data." (REF text)
  invalid_streamer_mode,           // "Invalid streamer mode" (mode::validate)
  writable_requires_write_buffer,  // "Writable streamer requires a write buffer"
};

const std::error_category& stream_category() noexcept;
inline std::error_code make_error_code(StreamErrc e) noexcept {
  return {static_cast<int>(e), stream_category()};
}
// The reference's message text for `e` (same as make_error_code(e).message()).
const char* errc_message(StreamErrc e) noexcept;
// Stable lowercase token ("illegal_read_limit", ...) for reports and logs.
const char* errc_name(StreamErrc e) noexcept;

// Exception hierarchy of §3.5:
//   StreamException → StreamError → {StreamInvalidPos, StreamFailure}; StreamTimeout derives
//   from StreamException only (a timeout is not a stream error).
class StreamException : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class StreamError : public StreamException {
 public:
  using StreamException::StreamException;
  explicit StreamError(StreamErrc e) : StreamException(errc_message(e)), code_(make_error_code(e)) {}
  // The protocol error behind this exception, if it came from one (else an empty code).
  const std::error_code& code() const noexcept { return code_; }

 protected:
  StreamError(const std::string& what, std::error_code code)
      : StreamException(what), code_(code) {}

 private:
  std::error_code code_;
};

class StreamInvalidPos : public StreamError {
 public:
  using StreamError::StreamError;
};

class StreamFailure : public StreamError {
 public:
  using StreamError::StreamError;
  explicit StreamFailure(StreamErrc e) : StreamError(errc_message(e), make_error_code(e)) {}
};

class StreamTimeout : public StreamException {
 public:
  using StreamException::StreamException;
  StreamTimeout() : StreamException("Stream operation timed out") {}
};

// Throws the local exception for a context error code received in peer_error (§3.3):
// INVALID_POS → StreamInvalidPos, anything else → StreamError.
[[noreturn]] void throw_context_error(std::int64_t code);

}  // namespace versile::stream

template <>
struct std::is_error_code_enum<versile::stream::StreamErrc> : std::true_type {};
