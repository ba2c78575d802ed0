# notebook_fuzz: the notebook reader and IPython rewriter under libFuzzer + ASan/UBSan.
# The library sources are compiled in here so they get coverage instrumentation.
# Run:  ctest --test-dir build-fuzz -R fuzz.notebook_fuzz (seeded with tests/notebook/cases/*.ipynb)
set(LAVA_NB_SRC ${PROJECT_SOURCE_DIR}/src/notebook)
add_executable(notebook_fuzz
  ${CMAKE_CURRENT_LIST_DIR}/notebook_fuzz.cc
  ${LAVA_NB_SRC}/nb2py.cc
  ${LAVA_NB_SRC}/notebook_reader.cc
  ${LAVA_NB_SRC}/nbformat_schema.cc
  ${LAVA_NB_SRC}/ipython_transform.cc
  ${LAVA_NB_SRC}/py_tokenize.cc
  ${LAVA_NB_SRC}/py_text.cc)
target_include_directories(notebook_fuzz PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(notebook_fuzz PRIVATE lava_pytext nlohmann_json::nlohmann_json)
target_compile_options(notebook_fuzz PRIVATE -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer)
target_link_options(notebook_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
