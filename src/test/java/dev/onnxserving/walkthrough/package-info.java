/** Tests that follow the README's walkthroughs step by step, as a new user would, against a running service. */
package dev.onnxserving.walkthrough;
