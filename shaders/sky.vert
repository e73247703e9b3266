// The sky, vertex stage: one triangle over the whole target at the far plane (depth 1), drawn
// after the opaque scene with a less-or-equal test, so it fills only what nothing covered.
#version 450
#extension GL_EXT_multiview : require

layout(location = 0) out vec2 outNdc;

void main() {
  const vec2 ndc = vec2(float((gl_VertexIndex << 1) & 2), float(gl_VertexIndex & 2)) * 2.0 - 1.0;
  outNdc = ndc;
  gl_Position = vec4(ndc, 1.0, 1.0);
}
