/**
 * Events: the topics berthd and its shims publish, and the in-memory {@link dev.berth.manager.event.Exchange} that
 * hands every published or forwarded {@link dev.berth.manager.event.Envelope} to the subscriptions whose filters
 * select it (the {@code Subscribe} stream of the events service drains one {@link
 * dev.berth.manager.event.Subscription} each).
 *
 * <p>Flow: shims call {@code containerd.services.events.ttrpc.v1.Events/Forward} on berthd's ttrpc socket ({@code
 * task.shim.EventsForwardServer}) → {@link dev.berth.manager.event.Forwarder#forward} keeps the shim's timestamp;
 * berthd's own services call {@link dev.berth.manager.event.Publisher#publish}, which stamps the time. Nothing is
 * persisted: a subscriber sees the events published while it is subscribed.
 */
package dev.berth.manager.event;
