/**
 * Where every setting comes from: the one catalogue of operator settings ({@link
 * dev.portunus.config.Setting}), its layers as SmallRye Config sources, the launcher's decision
 * ({@link dev.portunus.config.Launch}) and the mapping beans read.
 */
package dev.portunus.config;

