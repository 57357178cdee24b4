/**
 * Usage controls: named rate limits on a key ({@link io.blnk.auth.usage.RateLimit}), an optional
 * owner-wide limit, and usage credits with an optional refill ({@link io.blnk.auth.usage.Credits}),
 * grouped on a key as one {@link io.blnk.auth.usage.UsagePolicy}; how a host enforces them ({@link
 * io.blnk.auth.usage.UsageSettings}: local or cluster rate limits); and the store SPI through which
 * nodes lease credits ({@link io.blnk.auth.usage.UsageStore}).
 */
package io.blnk.auth.usage;
