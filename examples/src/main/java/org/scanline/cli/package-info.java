/**
 * The {@code scanline} command line (picocli): one class per subcommand.
 */
package org.scanline.cli;
