/**
 * The H:Si(100)-2×1 STM scan simulator: dimer-row lattices, steps and defects seen through a tip
 * whose apex (width, anisotropy, ghosts, instability, sudden changes) sets the class, plus the
 * instrument effects of a real constant-current scan. Rendering is analytic (blurred Fourier
 * components, Gaussians, erf edges), so thousands of scans per second come out of one core, and
 * every scan is a pure function of (seed, index).
 */
package org.scanline.simulate;
