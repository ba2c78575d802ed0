# Fuzz targets over the parsers fed by the network: registries' WWW-Authenticate
# challenges, image references, and the Docker engine's output and progress streams.
# Each compiles its parser's sources itself so they get coverage instrumentation; the
# rest (lava::Error, digests) comes from the uninstrumented libraries.
function(lava_parser_fuzz target)
  cmake_parse_arguments(P "" "MAX_LEN" "SOURCES;LIBS;SEEDS" ${ARGN})
  add_executable(${target} ${CMAKE_CURRENT_LIST_DIR}/${target}.cc ${P_SOURCES})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${target} PRIVATE ${P_LIBS})
  target_compile_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined
                         -fno-omit-frame-pointer)
  target_link_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
  lava_fuzz_test(${target} MAX_LEN ${P_MAX_LEN}
    DICT ${CMAKE_CURRENT_LIST_DIR}/${target}.dict SEEDS ${P_SEEDS})
endfunction()

set(LAVA_FUZZ_SEEDS ${CMAKE_CURRENT_LIST_DIR}/corpus)
lava_parser_fuzz(challenge_fuzz MAX_LEN 1024
  SOURCES ${PROJECT_SOURCE_DIR}/src/registry/challenge.cc
  LIBS lava_util
  SEEDS ${LAVA_FUZZ_SEEDS}/challenge)
lava_parser_fuzz(reference_fuzz MAX_LEN 512
  SOURCES ${PROJECT_SOURCE_DIR}/src/registry/reference.cc
  LIBS lava_oci lava_util
  SEEDS ${LAVA_FUZZ_SEEDS}/reference)
lava_parser_fuzz(docker_stream_fuzz MAX_LEN 4096
  SOURCES ${PROJECT_SOURCE_DIR}/src/docker/docker_stream.cc
  LIBS lava_util nlohmann_json::nlohmann_json
  SEEDS ${LAVA_FUZZ_SEEDS}/docker_stream)
