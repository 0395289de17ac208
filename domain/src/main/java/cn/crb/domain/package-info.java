/** Pure domain of the workstation: no JavaFX, no JDBC, no HTTP. */
package cn.crb.domain;
