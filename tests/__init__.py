# Cross-module tests of the insurance backoffice: demo loader, deployment
# files and the browser tests.
