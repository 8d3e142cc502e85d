import { runServiceMain } from "../../platform/host/run-service.js";
import { ratingService } from "./service.js";

runServiceMain(ratingService);
