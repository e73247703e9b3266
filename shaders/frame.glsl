// Per-frame uniforms shared by every material; matches pav::render::FrameUniforms (544 bytes).
layout(set = 0, binding = 0) uniform Frame {
  mat4 viewProjection[2];  // one per eye; mono uses [0]
  vec4 eyePosition[2];
  vec4 lightDirection;     // the direction light travels, normalised
  vec4 lightColor;
  vec4 ambient;            // w: the sky's scale in reflections (the ambient's level over the sky's)
  // The sky and the fog (sky.glsl; sky.cpp fills them).
  mat4 inverseViewProjection[2];
  vec4 skyZenith;   // w: 1 with a sky, 0 without
  vec4 skyHorizon;  // w: cosine of the sun disc's radius
  vec4 skyGround;   // w: the sun's glow
  vec4 fog;         // x: density per metre, y: metres of clear air
  vec4 ambientSH[9];  // ambient irradiance / pi as spherical harmonics (L2), ready to sum
} frame;

// The eye this pipeline draws, added to gl_ViewIndex: 0 for mono and for a multiview pass
// (gl_ViewIndex picks the eye), 1 for the second eye's pipeline where each eye has a
// single-view pass of its own (TargetFormat::passPerView).
layout(constant_id = 0) const int kFirstView = 0;
