/** Follows a directory and publishes restriction events; built out by the syncer issue. */
package io.restrictd.syncer;
