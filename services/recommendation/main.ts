import { runServiceMain } from "../../platform/host/run-service.js";
import { recommendationService } from "./service.js";

runServiceMain(recommendationService);
