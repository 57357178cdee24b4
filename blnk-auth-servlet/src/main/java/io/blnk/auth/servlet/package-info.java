/**
 * The servlet adapter: {@link io.blnk.auth.servlet.BlnkAuthFilter} (authentication, authorization,
 * the {@code /api-keys} endpoints, {@code BLNK_GENERATED_BY} tagging, JSON errors), {@link
 * io.blnk.auth.servlet.BlnkConfig} ({@code blnk.json} and the environment) and {@link
 * io.blnk.auth.servlet.KeyStoreFactory} (the store of a {@code web.xml}-configured filter).
 * Everything else here is package-private.
 */
package io.blnk.auth.servlet;
