/** containerd's filter language, used by every List and Subscribe call. Depends on the JDK and errdefs only. */
package dev.berth.manager.filter;
