#include "vse/stream/stream_errors.hpp"

#include "vse/stream/constants.hpp"

#include <string>

namespace versile::stream {
namespace {

struct ErrcInfo {
  const char* name;
  const char* message;
};

ErrcInfo info(StreamErrc e) noexcept {
  switch (e) {
    case StreamErrc::ok: return {"ok", "Success"};
    case StreamErrc::invalid_peer_connect_args:
      return {"invalid_peer_connect_args", "Invalid peer_connect arguments"};
    case StreamErrc::invalid_peer_read_start_args:
      return {"invalid_peer_read_start_args", "Invalid peer_read_start arguments"};
    case StreamErrc::invalid_peer_write_start_args:
      return {"invalid_peer_write_start_args", "Invalid peer_write_start arguments"};
    case StreamErrc::invalid_peer_read_lim_args:
      return {"invalid_peer_read_lim_args", "Invalid peer_read_lim arguments"};
    case StreamErrc::invalid_peer_write_push_args:
      return {"invalid_peer_write_push_args", "Invalid peer_write_push arguments"};
    case StreamErrc::invalid_peer_trunc_before_args:
      return {"invalid_peer_trunc_before_args", "Invalid peer_trunc_before arguments"};
    case StreamErrc::invalid_peer_trunc_after_args:
      return {"invalid_peer_trunc_after_args", "Invalid peer_trunc_after arguments"};
    case StreamErrc::invalid_peer_close_args:
      return {"invalid_peer_close_args", "Invalid peer_close arguments"};
    case StreamErrc::invalid_peer_fail_args:
      return {"invalid_peer_fail_args", "Invalid peer_fail arguments"};
    case StreamErrc::invalid_peer_set_start_pos_args:
      return {"invalid_peer_set_start_pos_args", "Invalid peer_set_start_pos arguments"};
    case StreamErrc::invalid_peer_read_push_args:
      return {"invalid_peer_read_push_args", "Invalid peer_read_push arguments"};
    case StreamErrc::invalid_peer_write_lim_args:
      return {"invalid_peer_write_lim_args", "Invalid peer_write_lim arguments"};
    case StreamErrc::invalid_peer_closed_args:
      return {"invalid_peer_closed_args", "Invalid peer_closed arguments"};
    case StreamErrc::invalid_peer_error_args:
      return {"invalid_peer_error_args", "Invalid peer_error arguments"};
    case StreamErrc::not_readable: return {"not_readable", "Stream not readable"};
    case StreamErrc::not_writable: return {"not_writable", "Stream not writable"};
    case StreamErrc::invalid_position_reference:
      return {"invalid_position_reference", "Invalid position reference"};
    case StreamErrc::invalid_read_context_position:
      return {"invalid_read_context_position", "Invalid read context position"};
    case StreamErrc::invalid_write_start_position:
      return {"invalid_write_start_position", "Invalid write start position"};
    case StreamErrc::seek_not_supported:
      return {"seek_not_supported", "Stream does not support seek"};
    case StreamErrc::seek_not_allowed: return {"seek_not_allowed", "Seek not allowed"};
    case StreamErrc::forward_seek_not_allowed:
      return {"forward_seek_not_allowed", "Forward seek not allowed"};
    case StreamErrc::reverse_seek_not_allowed:
      return {"reverse_seek_not_allowed", "Reverse seek not allowed"};
    case StreamErrc::seek_related_failure:
      return {"seek_related_failure", "Seek related failure"};
    case StreamErrc::seek_operation_failure:
      return {"seek_operation_failure", "Seek operation failure"};
    case StreamErrc::illegal_read_limit: return {"illegal_read_limit", "Illegal read limit"};
    case StreamErrc::too_many_pending_write_push:
      return {"too_many_pending_write_push", "Too many pending write push"};
    case StreamErrc::write_push_without_data:
      return {"write_push_without_data", "Write push without data"};
    case StreamErrc::write_package_too_big:
      return {"write_package_too_big", "Write package too big"};
    case StreamErrc::write_push_without_write_mode:
      return {"write_push_without_write_mode", "Write push without write mode"};
    case StreamErrc::write_limit_exceeded:
      return {"write_limit_exceeded", "Write limit exceeded"};
    case StreamErrc::illegal_truncate:
      return {"illegal_truncate", "Illecal truncate operation"};
    case StreamErrc::truncate_requires_write_context:
      return {"truncate_requires_write_context", "Truncate requires write context"};
    case StreamErrc::data_failure: return {"data_failure", "Streamer data failure"};
    case StreamErrc::too_many_position_notifications:
      return {"too_many_position_notifications", "Too many position notifications"};
    case StreamErrc::too_many_read_packages:
      return {"too_many_read_packages", "Too many read packages"};
    case StreamErrc::invalid_read_push_package:
      return {"invalid_read_push_package", "Invalid read push package"};
    case StreamErrc::read_push_package_too_large:
      return {"read_push_package_too_large", "Read push package too large"};
    case StreamErrc::read_push_without_read_mode:
      return {"read_push_without_read_mode", "Read push without read mode"};
    case StreamErrc::read_push_without_position:
      return {"read_push_without_position", "Read push without position"};
    case StreamErrc::read_push_after_eos:
      return {"read_push_after_eos", "Read push after end-of-stream"};
    case StreamErrc::read_push_limit_exceeded:
      return {"read_push_limit_exceeded", "Read push limit exceeded"};
    case StreamErrc::write_limit_requires_write_mode:
      return {"write_limit_requires_write_mode", "Write limit requires write mode"};
    case StreamErrc::write_limit_without_position:
      return {"write_limit_without_position", "Write limit without position"};
    case StreamErrc::illegal_write_limit: return {"illegal_write_limit", "Illegal write limit"};
    case StreamErrc::connect_failure: return {"connect_failure", "Connect failure"};
    case StreamErrc::streamer_mode_mismatch:
      return {"streamer_mode_mismatch", "Streamer peer mode mismatch"};
    case StreamErrc::invalid_stream_mode: return {"invalid_stream_mode", "Invalid stream mode"};
    case StreamErrc::could_not_perform_remote_call:
      return {"could_not_perform_remote_call", "Could not perform remote call"};
    case StreamErrc::stream_no_longer_referenced:
      return {"stream_no_longer_referenced", "Stream no longer referenced"};
    case StreamErrc::remote_call_failed: return {"remote_call_failed", "Remote call failed"};
    case StreamErrc::link_lost: return {"link_lost", "Link lost"};
    case StreamErrc::sequence_duplicate:
      return {"sequence_duplicate", "Sequence id already processed"};
    case StreamErrc::sequence_out_of_window:
      return {"sequence_out_of_window", "Sequence id outside the call window"};
    case StreamErrc::sequence_already_queued:
      return {"sequence_already_queued", "Sequence id already queued"};
    case StreamErrc::proxy_not_streamer_tag:
      return {"proxy_not_streamer_tag", "Not a VSE streamer tag"};
    case StreamErrc::proxy_bad_residual_tags:
      return {"proxy_bad_residual_tags", "Streamer proxy needs exactly one mode tag"};
    case StreamErrc::proxy_mode_not_integer:
      return {"proxy_mode_not_integer", "Streamer proxy mode is not an integer"};
    case StreamErrc::proxy_value_not_object:
      return {"proxy_value_not_object", "Streamer proxy value is not an object reference"};
    case StreamErrc::streamer_requires_data:
      return {"streamer_requires_data", "Streamer requires streamer data"};
    case StreamErrc::data_mode_mismatch:
      return {"data_mode_mismatch", "Mismatch with required streamer data mode."};
    case StreamErrc::data_mode_unsupported:
      return {"data_mode_unsupported", "All mode bits not supported by streamer data."};
    case StreamErrc::invalid_streamer_mode:
      return {"invalid_streamer_mode", "Invalid streamer mode"};
    case StreamErrc::writable_requires_write_buffer:
      return {"writable_requires_write_buffer", "Writable streamer requires a write buffer"};
  }
  return {"unknown", "Unknown stream error"};
}

class StreamCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vpstream.stream"; }
  std::string message(int ev) const override { return info(static_cast<StreamErrc>(ev)).message; }
};

}  // namespace

const std::error_category& stream_category() noexcept {
  static const StreamCategory category;
  return category;
}

const char* errc_message(StreamErrc e) noexcept { return info(e).message; }
const char* errc_name(StreamErrc e) noexcept { return info(e).name; }

void throw_context_error(std::int64_t code) {
  if (code == static_cast<std::int64_t>(ContextErrorCode::invalid_pos)) {
    throw StreamInvalidPos("Invalid stream position");
  }
  throw StreamError("Stream context error");
}

}  // namespace versile::stream
