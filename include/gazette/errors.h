// Exceptions thrown by the Gazette library. Every message names its cause
// (the file and line, the field, or the query position) so callers can print it as is.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace gazette {

// Base of every error the library throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An index could not be opened, read or written (missing directory, corrupt files, I/O).
class IndexError : public Error {
 public:
  using Error::Error;
};

// Another process holds the write lock on the index.
class IndexLockedError : public IndexError {
 public:
  explicit IndexLockedError(const std::string& path)
      : IndexError("index is locked by another writer: " + path) {}
};

// An input record is unusable. what() reads "file:line: message", or "file: message"
// when the whole file is at fault.
class InputError : public Error {
 public:
  InputError(std::string file, std::size_t line, std::string message)
      : Error(line > 0 ? file + ":" + std::to_string(line) + ": " + message : file + ": " + message),
        file_(std::move(file)),
        line_(line),
        message_(std::move(message)) {}
  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }  // 1-based; 0 when the whole file is at fault.
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  std::size_t line_;
  std::string message_;
};

// A query string does not follow the query syntax (docs/query-syntax.md).
class QuerySyntaxError : public Error {
 public:
  QuerySyntaxError(std::size_t position, const std::string& message)
      : Error("query syntax error at position " + std::to_string(position) + ": " + message),
        position_(position) {}
  std::size_t position() const { return position_; }  // 1-based character column.

 private:
  std::size_t position_;
};

// A query over a limit its cost is bounded by (SearchRequest::max_query_terms): refused
// before it runs. `limit()` names the limit; position() is where it was reached.
class QueryLimitError : public Error {
 public:
  QueryLimitError(std::size_t position, std::string limit, const std::string& message)
      : Error("query over a limit at position " + std::to_string(position) + ": " + message),
        position_(position),
        limit_(std::move(limit)) {}
  std::size_t position() const { return position_; }
  const std::string& limit() const { return limit_; }

 private:
  std::size_t position_;
  std::string limit_;
};

}  // namespace gazette
