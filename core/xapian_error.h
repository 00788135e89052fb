// Xapian's errors as Gazette reports them: the kind, the message and, when the system
// said why, its reason ("DatabaseError: Error writing block 7 (No space left on
// device)"), so a full disk or a corrupt file reads as such.
#pragma once

#include <string>

#include <xapian.h>

namespace gazette::core {

inline std::string xapian_message(const Xapian::Error& error) {
  std::string message = error.get_type() + std::string(": ") + error.get_msg();
  if (const char* reason = error.get_error_string(); reason != nullptr && *reason != '\0') {
    message += std::string(" (") + reason + ")";
  }
  return message;
}

}  // namespace gazette::core
