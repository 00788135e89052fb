# Writes OUTPUT: a C++ source defining `const char* NAME()` that returns the text of
# INPUT, so a web page ships inside the binary (no files to find at run time).
# Usage: cmake -DINPUT=... -DOUTPUT=... -DNAME=ns::function -P EmbedFile.cmake
file(READ "${INPUT}" content)
string(FIND "${content}" ")gazette_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )gazette_embed\"")
endif()
string(REGEX REPLACE "::[^:]*$" "" namespace "${NAME}")
string(REGEX REPLACE "^.*::" "" function "${NAME}")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by cmake/EmbedFile.cmake: do not edit.\n"
  "namespace ${namespace} {\n"
  "const char* ${function}() {\n"
  "  return R\"gazette_embed(${content})gazette_embed\";\n"
  "}\n"
  "}  // namespace ${namespace}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
