import { runServiceMain } from "../../platform/host/run-service.js";
import { analyticsService } from "./service.js";

runServiceMain(analyticsService);
