import { runServiceMain } from "../../platform/host/run-service.js";
import { identityService } from "./service.js";

runServiceMain(identityService);
