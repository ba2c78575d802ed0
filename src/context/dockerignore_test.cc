#include "context/dockerignore.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace lava::context {
namespace {

DockerIgnore rules(const std::string& text) {
  return DockerIgnore::parse(text, ".dockerignore");
}

TEST(DockerIgnore, CommentsBlanksAndCleaning) {
  auto d = rules("# comment\n\n  /build/  \n ./docs/../notes.txt\r\n #not-a-comment\n");
  EXPECT_TRUE(d.excluded("build"));
  EXPECT_TRUE(d.excluded("build/x/y.o"));  // a parent directory matches
  EXPECT_FALSE(d.excluded("src/build"));   // relative to the root only
  EXPECT_TRUE(d.excluded("notes.txt"));
  EXPECT_FALSE(d.excluded("docs"));
  EXPECT_TRUE(d.excluded("#not-a-comment"));  // '#' only in column 1 starts a comment
  EXPECT_FALSE(d.excluded("# comment"));
  EXPECT_TRUE(rules("\xEF\xBB\xBF"
                    "a\n")
                  .excluded("a"));  // BOM
}

TEST(DockerIgnore, StarAndQuestionStayInOneSegment) {
  auto d = rules("*.pyc\n*/temp*\ntemp?\n");
  EXPECT_TRUE(d.excluded("x.pyc"));
  EXPECT_FALSE(d.excluded("pkg/x.pyc"));
  EXPECT_TRUE(d.excluded("somedir/temporary.txt"));
  EXPECT_TRUE(d.excluded("somedir/temp"));
  EXPECT_FALSE(d.excluded("a/b/temp"));
  EXPECT_TRUE(d.excluded("tempa"));
  EXPECT_FALSE(d.excluded("temp"));
  EXPECT_FALSE(d.excluded("tempab"));
  EXPECT_TRUE(rules("?\n").excluded("\xC3\xA9"));  // one character, not one byte
}

TEST(DockerIgnore, DoubleStarMatchesAnyDirectories) {
  auto d = rules("**/*.go\n");
  EXPECT_TRUE(d.excluded("main.go"));
  EXPECT_TRUE(d.excluded("a/b/c.go"));
  EXPECT_FALSE(d.excluded("a/b/c.go2"));
  auto m = rules("a/**/z\n");
  EXPECT_TRUE(m.excluded("a/z"));
  EXPECT_TRUE(m.excluded("a/b/c/z"));
  EXPECT_FALSE(m.excluded("a/bz"));
  auto e = rules("logs/**\n");
  EXPECT_TRUE(e.excluded("logs/x"));
  EXPECT_TRUE(e.excluded("logs/x/y"));
  EXPECT_FALSE(e.excluded("logs"));
  EXPECT_TRUE(rules("**\n").excluded("anything/at/all"));
}

TEST(DockerIgnore, ClassesAndEscapes) {
  auto d = rules("file[0-9].txt\nx[^ab]\nlit\\*\n");
  EXPECT_TRUE(d.excluded("file7.txt"));
  EXPECT_FALSE(d.excluded("filex.txt"));
  EXPECT_TRUE(d.excluded("xc"));
  EXPECT_FALSE(d.excluded("xa"));
  EXPECT_TRUE(d.excluded("lit*"));
  EXPECT_FALSE(d.excluded("litx"));
  EXPECT_THROW(rules("ok\nbad[\n"), Error);
  try {
    rules("ok\nbad[\n");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(".dockerignore:2: bad pattern 'bad['"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(rules("a\\\n"), Error);
  EXPECT_THROW(rules("!\n"), Error);
}

TEST(DockerIgnore, LastMatchingLineDecides) {
  auto d = rules("*.md\n!README*.md\nREADME-secret.md\n");
  EXPECT_TRUE(d.excluded("CHANGES.md"));
  EXPECT_FALSE(d.excluded("README.md"));
  EXPECT_TRUE(d.excluded("README-secret.md"));
  auto e = rules("*.md\nREADME-secret.md\n!README*.md\n");
  EXPECT_FALSE(e.excluded("README-secret.md"));
}

TEST(DockerIgnore, ExceptionsInsideAnExcludedDirectory) {
  auto d = rules("docs\n!docs/keep.txt\n");
  EXPECT_TRUE(d.excluded("docs"));
  EXPECT_TRUE(d.excluded("docs/other.txt"));
  EXPECT_FALSE(d.excluded("docs/keep.txt"));
  EXPECT_TRUE(d.may_reinclude_below("docs"));
  EXPECT_FALSE(d.may_reinclude_below("doc"));
  // Docker walks into an excluded directory only for exceptions spelled below it.
  EXPECT_FALSE(rules("docs\n!**/keep.txt\n").may_reinclude_below("docs"));
}

TEST(ContextEntry, DockerfileDockerignoreNotebooksAndWalkOnlyDirectories) {
  auto d = rules("Dockerfile\n.dockerignore\n*.py\nscratch.ipynb\ndocs\n!docs/keep.txt\ntmp\n");
  EXPECT_EQ(context_entry(d, "Dockerfile", false), ContextEntry::kKeep);
  EXPECT_EQ(context_entry(d, ".dockerignore", false), ContextEntry::kKeep);
  EXPECT_EQ(context_entry(d, "report.ipynb", false), ContextEntry::kSkip);  // becomes report.py
  EXPECT_EQ(context_entry(d, "scratch.ipynb", false), ContextEntry::kSkip);
  EXPECT_EQ(context_entry(d, "docs", true), ContextEntry::kWalkOnly);
  EXPECT_EQ(context_entry(d, "docs/keep.txt", false), ContextEntry::kKeep);
  EXPECT_EQ(context_entry(d, "tmp", true), ContextEntry::kSkip);
  EXPECT_EQ(context_entry(d, "sub/Dockerfile", false), ContextEntry::kKeep);
  EXPECT_EQ(context_entry(DockerIgnore(), "x.py", false), ContextEntry::kKeep);
}

}  // namespace
}  // namespace lava::context
