/** The gRPC adapter of Berth's build service ({@code berth.services.build.v1.Builds}) over manager.build. */
package dev.berth.manager.service.build;
