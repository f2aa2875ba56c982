/**
 * The model architectures as DJL blocks ({@code vit}, {@code causal}, {@code lrcn}); their exact
 * definition and weight names are in {@code docs/models.md}.
 */
package org.scanline.model;
