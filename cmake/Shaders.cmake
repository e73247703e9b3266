# pav_add_shaders(TARGET name SOURCES a.vert b.frag ...)
# Compiles GLSL to SPIR-V with glslc at build time into ${CMAKE_BINARY_DIR}/shaders/<file>.spv.
# A GLSL error fails the build with glslc's own message; includes are tracked through depfiles.
function(pav_add_shaders)
  cmake_parse_arguments(ARG "" "TARGET" "SOURCES" ${ARGN})
  set(outputs)
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(name ${src} NAME)
    set(in ${CMAKE_CURRENT_SOURCE_DIR}/${src})
    set(out ${CMAKE_BINARY_DIR}/shaders/${name}.spv)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${GLSLC} --target-env=vulkan1.1 -O -Werror -MD -MF ${out}.d -o ${out} ${in}
      DEPENDS ${in}
      DEPFILE ${out}.d
      COMMENT "glslc ${name}"
      VERBATIM)
    list(APPEND outputs ${out})
  endforeach()
  add_custom_target(${ARG_TARGET} ALL DEPENDS ${outputs})
endfunction()
